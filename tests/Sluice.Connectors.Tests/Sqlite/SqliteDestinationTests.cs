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

    [Fact]
    public async Task A_hot_journal_left_by_a_killed_writer_is_rolled_back_before_reading_state_or_discovering()
    {
        await WriteAsync(SampleBatches.Simple("kept", 1, 2), DestinationSyncMode.Overwrite);

        // What kill -9 of a sync leaves: the file mid-transaction with its rollback journal (copied while a big
        // transaction, spilled to disk by a tiny page cache, is open; the copy has no lock, so its journal is hot).
        var crashed = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_database.Path)!, "crashed.db");
        using (var writer = _database.Open())
        {
            using var command = writer.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 10; BEGIN; CREATE TABLE filler (x TEXT);" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO filler SELECT printf('%0200d', i) FROM n;" +
                "DELETE FROM kept;";
            command.ExecuteNonQuery();
            Assert.True(File.Exists(_database.Path + "-journal"));
            File.Copy(_database.Path, crashed);
            File.Copy(_database.Path + "-journal", crashed + "-journal");
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }

        var config = new JsonObject { ["path"] = crashed };
        var connector = new SqliteConnector();
        var catalog = await connector.DiscoverAsync(config, CancellationToken.None);
        Assert.Contains(catalog.Streams, s => s.Name == "kept");
        Assert.DoesNotContain(catalog.Streams, s => s.Name == "filler");
        Assert.False(File.Exists(crashed + "-journal"));
        using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={crashed};Mode=ReadOnly;Pooling=false");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM kept";
        Assert.Equal(2L, (long)count.ExecuteScalar()!);
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
