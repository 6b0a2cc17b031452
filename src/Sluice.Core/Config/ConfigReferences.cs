using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Core.Connectors;

namespace Sluice.Core.Config;

/// <summary>
/// Resolves <c>${env:NAME}</c> and <c>${file:PATH}</c> references in a config, so definitions on disk never hold secrets.
/// </summary>
public static partial class ConfigReferences
{
    [GeneratedRegex(@"\$\{(env|file):([^}]+)\}")]
    private static partial Regex Reference();

    public static bool HasReference(string text) => Reference().IsMatch(text);

    public static JsonObject Resolve(JsonObject config, Func<string, string?>? environment = null) =>
        (JsonObject)ResolveNode(config, "", environment ?? Environment.GetEnvironmentVariable)!;

    private static JsonNode? ResolveNode(JsonNode? node, string path, Func<string, string?> environment)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                    copy[key] = ResolveNode(value, path.Length == 0 ? key : $"{path}.{key}", environment);
                return copy;
            case JsonArray array:
                return new JsonArray(array.Select((v, i) => ResolveNode(v, $"{path}[{i}]", environment)).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var text) && HasReference(text):
                return JsonValue.Create(Reference().Replace(text, m => Lookup(m, path, environment)));
            default:
                return node?.DeepClone();
        }
    }

    private static string Lookup(Match match, string path, Func<string, string?> environment)
    {
        var name = match.Groups[2].Value.Trim();
        if (match.Groups[1].Value == "env")
            return environment(name) ?? throw new ConfigException(path, $"refers to environment variable {name}, which is not set", $"export {name}=... before running Sluice");
        if (!File.Exists(name))
            throw new ConfigException(path, $"refers to file {name}, which does not exist", "create the file or fix the path");
        return File.ReadAllText(name).TrimEnd('\r', '\n');
    }
}
