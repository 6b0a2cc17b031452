using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;
using Sluice.Core.Connectors;

namespace Sluice.Core.Config;

/// <summary>Validates a connector config against its spec's JSON Schema and reports each failing field with a fix.</summary>
public static class ConfigValidator
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    public static void Validate(ConnectorSpec spec, JsonObject config, string connectorName)
    {
        var errors = Errors(spec, config, connectorName);
        if (errors.Count > 0)
            throw new ConfigValidationException(errors);
    }

    public static IReadOnlyList<ConfigException> Errors(ConnectorSpec spec, JsonObject config, string connectorName)
    {
        var schemaText = spec.ConnectionSpecification.ToJsonString();
        var schema = Schemas.GetOrAdd(schemaText, text => JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult());
        var errors = schema.Validate(config.ToJsonString());
        return Flatten(errors).Select(e => Describe(e, schema, connectorName, config)).DistinctBy(e => e.Message).ToList();
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                // oneOf: report the branch closest to matching rather than every branch.
                var best = child.Errors.OrderBy(e => e.Value.Count).First().Value;
                foreach (var inner in Flatten(best))
                    yield return inner;
            }
            else
            {
                yield return error;
            }
        }
    }

    private static ConfigException Describe(ValidationError error, JsonSchema root, string connectorName, JsonObject config)
    {
        var path = (error.Path ?? "#").TrimStart('#', '/').Replace('/', '.');
        if (error.Kind == ValidationErrorKind.PropertyRequired)
        {
            var field = string.IsNullOrEmpty(path) ? error.Property ?? "?" : path;
            return new ConfigException(field, "is required", $"add '{LastSegment(field)}' to the {connectorName} config{Describe(PropertySchema(root, field))}");
        }
        if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed)
            return new ConfigException(path, "is not a known setting", $"remove it or check its spelling against `sluice connector spec {connectorName}`");
        var property = PropertySchema(root, path);
        var got = ValueAt(config, path);
        var expected = error.Kind switch
        {
            ValidationErrorKind.IntegerExpected => "must be an integer",
            ValidationErrorKind.NumberExpected => "must be a number",
            ValidationErrorKind.StringExpected => "must be a string",
            ValidationErrorKind.BooleanExpected => "must be true or false",
            ValidationErrorKind.ArrayExpected => "must be a list",
            ValidationErrorKind.ObjectExpected => "must be an object",
            ValidationErrorKind.NotInEnumeration => "is not one of the allowed values",
            ValidationErrorKind.NumberTooBig => $"must be at most {property?.Maximum}",
            ValidationErrorKind.NumberTooSmall => $"must be at least {property?.Minimum}",
            ValidationErrorKind.StringTooShort => $"must have at least {property?.MinLength} characters",
            ValidationErrorKind.StringTooLong => $"must have at most {property?.MaxLength} characters",
            ValidationErrorKind.PatternMismatch => $"must match {property?.Pattern}",
            ValidationErrorKind.TooFewItems => $"needs at least {property?.MinItems} items",
            _ => $"is invalid ({error.Kind})",
        };
        var fix = $"got {got}{Describe(property)}";
        return new ConfigException(path, expected, fix);
    }

    private static string Describe(JsonSchema? property)
    {
        if (property is null)
            return "";
        var parts = new List<string>();
        if (property.Enumeration.Count > 0)
            parts.Add("allowed: " + string.Join(", ", property.Enumeration));
        if (!string.IsNullOrEmpty(property.Description))
            parts.Add(property.Description!.TrimEnd('.'));
        return parts.Count == 0 ? "" : " (" + string.Join("; ", parts) + ")";
    }

    private static JsonSchema? PropertySchema(JsonSchema root, string path)
    {
        JsonSchema? current = root;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current?.ActualSchema;
            if (current is null)
                return null;
            if (current.Properties.TryGetValue(segment, out var p))
                current = p;
            else
                current = current.OneOf.Select(o => o.ActualSchema.Properties.TryGetValue(segment, out var op) ? op : null).FirstOrDefault(x => x is not null);
        }
        return current?.ActualSchema;
    }

    private static string ValueAt(JsonObject config, string path)
    {
        JsonNode? node = config;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject o ? o[segment] : null;
        return node is null ? "nothing" : node.ToJsonString();
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];
}
