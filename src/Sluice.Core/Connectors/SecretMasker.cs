using System.Text.Json.Nodes;

namespace Sluice.Core.Connectors;

/// <summary>Replaces the values of a spec's secret fields (airbyte_secret) with a mask, for output and diffs.</summary>
public static class SecretMasker
{
    public const string Mask = "**********";

    public static JsonObject Apply(JsonObject config, ConnectorSpec spec)
    {
        var copy = (JsonObject)config.DeepClone();
        foreach (var path in spec.SecretPaths())
        {
            var segments = path.Split('.');
            JsonNode? parent = copy;
            foreach (var segment in segments[..^1])
                parent = parent is JsonObject o ? o[segment] : null;
            if (parent is JsonObject target && target.ContainsKey(segments[^1]) && target[segments[^1]] is not null)
                target[segments[^1]] = Mask;
        }
        return copy;
    }

    /// <summary>Whether an update sent back the mask for a secret, meaning "keep the stored value".</summary>
    public static JsonObject KeepMaskedSecrets(JsonObject incoming, JsonObject stored, ConnectorSpec spec)
    {
        var merged = (JsonObject)incoming.DeepClone();
        foreach (var path in spec.SecretPaths())
        {
            var segments = path.Split('.');
            JsonNode? newParent = merged, oldParent = stored;
            foreach (var segment in segments[..^1])
            {
                newParent = newParent is JsonObject n ? n[segment] : null;
                oldParent = oldParent is JsonObject o ? o[segment] : null;
            }
            if (newParent is JsonObject target && target[segments[^1]] is JsonValue v && v.TryGetValue<string>(out var text) && text == Mask)
                target[segments[^1]] = (oldParent as JsonObject)?[segments[^1]]?.DeepClone();
        }
        return merged;
    }
}
