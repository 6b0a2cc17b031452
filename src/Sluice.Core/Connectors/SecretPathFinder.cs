using System.Text.Json.Nodes;

namespace Sluice.Core.Connectors;

internal static class SecretPathFinder
{
    public static IReadOnlyList<string> Find(JsonObject schema)
    {
        var paths = new List<string>();
        Walk(schema, "", paths);
        return paths.Distinct().ToList();
    }

    private static void Walk(JsonNode? node, string prefix, List<string> paths)
    {
        if (node is not JsonObject obj)
            return;
        if (obj["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                if (property is JsonObject p && p["airbyte_secret"] is JsonValue v && v.TryGetValue<bool>(out var secret) && secret)
                    paths.Add(path);
                Walk(property, path, paths);
            }
        }
        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
            if (obj[key] is JsonArray options)
                foreach (var option in options)
                    Walk(option, prefix, paths);
    }
}
