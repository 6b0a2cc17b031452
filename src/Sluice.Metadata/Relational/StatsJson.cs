using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Core.Model;

namespace Sluice.Metadata.Relational;

/// <summary>Sync stats as JSON, per-stream counters included.</summary>
internal static class StatsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipDerived } },
    };

    public static string Write(SyncStats stats) => JsonSerializer.Serialize(stats, Options);

    public static SyncStats Read(string json) => JsonSerializer.Deserialize<SyncStats>(json, Options) ?? SyncStats.Empty;

    // Rates (MegabytesPerSecond, RecordsPerSecond) follow from the counters; storing them would only let them disagree.
    private static void SkipDerived(JsonTypeInfo info)
    {
        if (info.Type != typeof(SyncStats))
            return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null)
                info.Properties.RemoveAt(i);
        }
    }
}
