using System.Text.Json.Nodes;
using NJsonSchema;
using Sluice.Server.Definitions;

namespace Sluice.Cli.Tests.Conformance;

/// <summary>The Airbyte protocol's AirbyteMessage definition as a JSON Schema validator.</summary>
internal static class ProtocolSchema
{
    private static readonly Lazy<JsonSchema> Message = new(Load);

    /// <summary>Validation errors of one stdout line; empty when it is a valid AirbyteMessage.</summary>
    public static IReadOnlyList<string> Errors(string line)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(line);
        }
        catch (System.Text.Json.JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }
        if (json is not JsonObject)
            return ["not a JSON object"];
        return Message.Value.Validate(line).Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    /// <summary>A stream's json_schema must itself load as a JSON schema and describe an object with typed properties.</summary>
    public static async Task<IReadOnlyList<string>> StreamSchemaErrorsAsync(JsonNode jsonSchema)
    {
        var errors = new List<string>();
        try
        {
            var schema = await JsonSchema.FromJsonAsync(jsonSchema.ToJsonString());
            if (!schema.Type.HasFlag(JsonObjectType.Object))
                errors.Add("json_schema is not of type object");
        }
        catch (Exception e)
        {
            errors.Add($"json_schema does not load: {e.Message}");
        }
        foreach (var (name, property) in jsonSchema["properties"] as JsonObject ?? [])
            if (property?["type"] is null && property?["$ref"] is null && property?["oneOf"] is null && property?["anyOf"] is null)
                errors.Add($"property '{name}' has no type");
        return errors;
    }

    private static JsonSchema Load()
    {
        var document = YamlJson.Parse(File.ReadAllText(RepoPaths.ProtocolYaml), RepoPaths.ProtocolYaml).Single()!.AsObject();
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$ref"] = "#/definitions/AirbyteMessage",
            ["definitions"] = document["definitions"]!.DeepClone(),
        };
        return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
    }
}
