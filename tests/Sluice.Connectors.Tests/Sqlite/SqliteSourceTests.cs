using System.Text.Json.Nodes;
using Sluice.Connectors.Sqlite;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Sqlite;

public sealed class SqliteSourceTests : SourceCompliance, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override ISource CreateSource() => new SqliteConnector();

    protected override Task<JsonObject> CreateFixtureAsync(SampleTable fixture)
    {
        _database.Execute($"CREATE TABLE \"{fixture.Name}\" (id INTEGER PRIMARY KEY, name TEXT, amount REAL, active BOOLEAN, born DATE, updated_at DATETIME, note TEXT)");
        foreach (var row in fixture.TextRows())
        {
            var values = row.Select((v, i) => fixture.Columns[i].Type.Kind == LogicalKind.Boolean && v is not null ? (v == "true" ? 1 : 0) : (object?)v).ToArray();
            _database.Execute($"INSERT INTO \"{fixture.Name}\" VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6)", values);
        }
        return Task.FromResult(_database.Config);
    }

    protected override (JsonObject Config, string Field) InvalidConfig() => (new JsonObject { ["batch_size"] = 10 }, "path");

    protected override Task<(JsonObject Config, string MissingName)> MissingStreamAsync()
    {
        _database.Execute("CREATE TABLE other (x INTEGER)");
        return Task.FromResult((_database.Config, "no_such_table"));
    }

    [Fact]
    public Task Incremental_syncs_by_a_unicode_text_cursor_keep_ties_at_the_boundary() =>
        RangedReadChecks.SyncsByCursorAsync(new SqliteConnector(), _database.Config, sql => _database.Execute(sql), "TEXT",
            ["'naïve'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvety'"]);

    [Fact]
    public Task Checkpoints_come_by_time_inside_a_range_and_resume_exactly() =>
        RangedReadChecks.CheckpointsByTimeInsideARangeAsync(new SqliteConnector(), _database.Config, sql => _database.Execute(sql));

    [Fact]
    public Task Reads_in_key_ranges_and_resumes_after_the_last_committed_one() =>
        RangedReadChecks.ResumesAfterTheLastRangeAsync(new SqliteConnector(), _database.Config, sql => _database.Execute(sql));

    [Fact]
    public Task Incremental_keeps_rows_committed_later_with_the_last_cursor_value() =>
        RangedReadChecks.KeepsRowsTyingWithTheLastCursorAsync(new SqliteConnector(), _database.Config, sql => _database.Execute(sql), "DATETIME", ["'2024-01-01 00:00:00'", "'2024-01-02 00:00:00.5'", "'2024-01-03 00:00:00'"]);

    [Fact]
    public Task Incremental_keeps_ties_with_an_integer_cursor() =>
        RangedReadChecks.KeepsRowsTyingWithTheLastCursorAsync(new SqliteConnector(), _database.Config, sql => _database.Execute(sql), "INTEGER", ["10", "20", "30"]);

    [Fact]
    public async Task Declared_types_map_by_name_then_by_affinity()
    {
        _database.Execute("CREATE TABLE typed (a VARCHAR(10), b BIGINT, c DOUBLE PRECISION, d DECIMAL(12,3), e NUMERIC, f BLOB, g, h TIMESTAMP, i JSON, j UUID, k DECIMAL_TEXT(30,2), PRIMARY KEY (b, a))");
        var stream = (await new SqliteConnector().DiscoverAsync(_database.Config, CancellationToken.None)).Streams.Single(s => s.Name == "typed");

        Assert.Equal(
            [LogicalType.String, LogicalType.Int64, LogicalType.Float64, LogicalType.Decimal(12, 3), LogicalType.BigDecimal, LogicalType.Binary,
                LogicalType.String, LogicalType.Timestamp, LogicalType.Json, LogicalType.Uuid, LogicalType.Decimal(30, 2)],
            stream.Columns.Select(c => c.Type));
        Assert.Equal([["b"], ["a"]], stream.PrimaryKey.Select(k => k.ToArray()).ToArray());
    }

    [Fact]
    public async Task Reads_in_batches_of_the_configured_size()
    {
        _database.Execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
        _database.Execute("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2500) INSERT INTO numbers SELECT n FROM s");
        var config = _database.Config;
        config["batch_size"] = 1000;
        var catalog = ConfiguredCatalog.AllStreams(await new SqliteConnector().DiscoverAsync(config, CancellationToken.None));

        var sizes = new List<int>();
        await foreach (var message in new SqliteConnector().ReadAsync(config, catalog, Sluice.Core.State.SyncState.Empty, CancellationToken.None))
            if (message is Sluice.Core.Messages.RecordBatchMessage batch)
                sizes.Add(batch.Batch.Length);

        Assert.Equal([1000, 1000, 500], sizes);
    }

    [Fact]
    public async Task A_missing_database_file_names_the_path()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(async () =>
            await new SqliteConnector().DiscoverAsync(new JsonObject { ["path"] = _database.Path + ".missing" }, CancellationToken.None));
        Assert.Equal("path", error.Field);
    }

    public void Dispose() => _database.Dispose();
}
