using System.Text.Json.Nodes;
using Sluice.Connectors.Airbyte;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Airbyte;

/// <summary>Configs of the airbyte connector that run fixtures/fake_connector.py, an Airbyte-protocol connector in Python.</summary>
internal static class FakeConnector
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "Airbyte", "fixtures", "fake_connector.py");

    public static JsonObject Config(JsonObject? connectorConfig = null) => new()
    {
        ["command"] = "python3",
        ["args"] = new JsonArray("-u", Script),
        ["env"] = new JsonObject { ["PYTHONIOENCODING"] = "utf-8" },
        ["config"] = connectorConfig ?? new JsonObject { ["rows"] = 5 },
    };

    public static async Task<ConfiguredCatalog> CatalogAsync(JsonObject config, SyncMode mode = SyncMode.Incremental)
    {
        var catalog = await new AirbyteConnector().DiscoverAsync(config, CancellationToken.None);
        return new ConfiguredCatalog(catalog.Streams.Select(s => new ConfiguredStream
        {
            Stream = s,
            SyncMode = mode,
            CursorField = s.DefaultCursorField,
            DestinationSyncMode = DestinationSyncMode.Append,
            PrimaryKey = s.PrimaryKey,
        }).ToList());
    }

    public static async Task<List<SourceMessage>> ReadAllAsync(JsonObject config, ConfiguredCatalog catalog, SyncState? state = null)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in new AirbyteConnector().ReadAsync(config, catalog, state ?? SyncState.Empty, CancellationToken.None))
            messages.Add(message);
        return messages;
    }

    public static long Rows(IEnumerable<SourceMessage> messages, string stream) =>
        messages.OfType<RecordBatchMessage>().Where(m => m.Stream.Name == stream).Sum(m => (long)m.Batch.Length);
}
