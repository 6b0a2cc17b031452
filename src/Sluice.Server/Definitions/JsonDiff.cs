using System.Text.Json.Nodes;

namespace Sluice.Server.Definitions;

/// <summary>Field-level differences between two JSON documents, as "path: old -> new" lines.</summary>
public static class JsonDiff
{
    public static List<string> Compare(JsonNode? before, JsonNode? after, string path)
    {
        var lines = new List<string>();
        Walk(before, after, path, lines);
        return lines;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<string> lines)
    {
        if (JsonNode.DeepEquals(before, after))
            return;
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(kv => kv.Key).Union(a.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
                Walk(b[key], a[key], $"{path}.{key}", lines);
            return;
        }
        lines.Add($"{path}: {Show(before)} -> {Show(after)}");
    }

    private static string Show(JsonNode? node) => node is null ? "(none)" : node.ToJsonString();
}
