using System.Text.Json.Nodes;
using Sluice.Connectors.Sqlite;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Tests.Sqlite;

public sealed class SqliteDestinationTests : SyncModesCompliance, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override IDestination CreateDestination() => new SqliteConnector();

    protected override JsonObject FreshConfig() => _database.Config;

    protected override (JsonObject Config, string Field) InvalidConfig() => (new JsonObject { ["path"] = 42 }, "path");

    protected override Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream) =>
        Task.FromResult(_database.ReadTable(stream.TargetName));

    [Fact]
    public async Task Overwrite_leaves_no_staging_table_and_keeps_exact_decimals()
    {
        var table = SampleBatches.AllTypes("exact");
        await WriteAsync(table, DestinationSyncMode.Overwrite);

        Assert.Null(_database.ReadTable("_sluice_tmp_exact"));
        var written = _database.ReadTable("exact")!;
        Assert.Equal("12345678901234567890123456789.123456789", written.Rows.Single(r => (long)r["id"]! == 1)["wide"]);
    }

    [Fact]
    public async Task A_source_that_stops_midway_leaves_the_old_table_untouched()
    {
        var old = SampleBatches.Simple("kept", 1, 2);
        await WriteAsync(old, DestinationSyncMode.Overwrite);
        var next = SampleBatches.Simple("kept", 10, 5);
        var messages = MessageStreams.Stream(next).Take(2).ToList(); // Started and the batch, then the source fails

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await WriteAsync(next.Catalog(), messages.Append(new Sluice.Core.Messages.LogMessage(Sluice.Core.Messages.LogLevel.Error, "boom")).Concat(Fail())));

        AssertRows(old, _database.ReadTable("kept"));
    }

    private static IEnumerable<Sluice.Core.Messages.SourceMessage> Fail()
    {
        throw new InvalidOperationException("source failed");
#pragma warning disable CS0162 // makes this an iterator that fails when enumerated
        yield break;
#pragma warning restore CS0162
    }

    public void Dispose() => _database.Dispose();
}
