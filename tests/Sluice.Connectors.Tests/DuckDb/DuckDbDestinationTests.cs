using System.Text.Json.Nodes;
using Sluice.Connectors.DuckDb;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Tests.DuckDb;

public sealed class DuckDbDestinationTests : SyncModesCompliance, IDisposable
{
    private readonly DuckDbTestDatabase _database = new();

    protected override IDestination CreateDestination() => new DuckDbConnector();

    protected override JsonObject FreshConfig() => _database.Config;

    protected override (JsonObject Config, string Field) InvalidConfig() => (new JsonObject { ["path"] = "" }, "path");

    protected override Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream) =>
        Task.FromResult(_database.ReadTable(stream.TargetName));

    [Fact]
    public async Task Columns_get_exact_native_types()
    {
        var table = SampleBatches.AllTypes("native_types");
        await WriteAsync(table, DestinationSyncMode.Overwrite);

        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'native_types' ORDER BY ordinal_position";
        using var reader = command.ExecuteReader();
        var types = new Dictionary<string, string>();
        while (reader.Read())
            types[reader.GetString(0)] = reader.GetString(1);

        Assert.Equal("DECIMAL(38,9)", types["wide"]);
        Assert.Equal("DECIMAL(18,4)", types["price"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["utc_ts"]);
        Assert.Equal("TIMESTAMP", types["local_ts"]);
        Assert.Equal("DATE", types["day"]);
        Assert.Equal("TIME", types["clock"]);
        Assert.Equal("BLOB", types["payload"]);
        Assert.Equal("UUID", types["uid"]);
        Assert.Equal("JSON", types["doc"]);
        Assert.Equal("INTEGER", types["small"]);
    }

    [Fact]
    public async Task Round_trips_through_the_duckdb_source()
    {
        var table = SampleBatches.AllTypes("round_trip");
        await WriteAsync(table, DestinationSyncMode.Overwrite);

        var source = new DuckDbConnector();
        var catalog = await source.DiscoverAsync(Config, CancellationToken.None);
        var stream = catalog.Streams.Single(s => s.Name == "round_trip");
        foreach (var column in table.Columns)
            Assert.Equal(column.Type, stream.Column(column.Name)!.Type);
        var rows = new List<Dictionary<string, string?>>();
        await foreach (var message in source.ReadAsync(Config, ConfiguredCatalog.AllStreams(catalog), Sluice.Core.State.SyncState.Empty, CancellationToken.None))
            if (message is Sluice.Core.Messages.RecordBatchMessage batch && batch.Stream.Name == "round_trip")
                rows.AddRange(DuckDbSourceTests.CanonicalRows(batch.Batch));

        Assert.Equal(3, rows.Count);
        var first = rows.Single(r => r["id"] == "1");
        Assert.Equal("12345678901234567890123456789.123456789", first["wide"]);
        Assert.Equal("2024-02-29T13:45:30.123456Z", first["utc_ts"]);
    }

    public void Dispose() => _database.Dispose();
}
