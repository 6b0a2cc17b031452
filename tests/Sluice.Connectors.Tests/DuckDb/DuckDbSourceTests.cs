using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Connectors.DuckDb;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.DuckDb;

public sealed class DuckDbSourceTests : SourceCompliance, IDisposable
{
    private readonly DuckDbTestDatabase _database = new();

    protected override ISource CreateSource() => new DuckDbConnector();

    protected override Task<JsonObject> CreateFixtureAsync(SampleTable fixture)
    {
        _database.Execute($"CREATE TABLE \"{fixture.Name}\" (id BIGINT PRIMARY KEY, name VARCHAR, amount DOUBLE, active BOOLEAN, born DATE, updated_at TIMESTAMP, note VARCHAR)");
        foreach (var row in fixture.TextRows())
            _database.Execute($"INSERT INTO \"{fixture.Name}\" VALUES (CAST(? AS BIGINT), ?, CAST(? AS DOUBLE), CAST(? AS BOOLEAN), CAST(? AS DATE), CAST(? AS TIMESTAMP), ?)", row);
        return Task.FromResult(_database.Config);
    }

    protected override (JsonObject Config, string Field) InvalidConfig() => (new JsonObject { ["path"] = "x.duckdb", ["typo"] = true }, "typo");

    protected override Task<(JsonObject Config, string MissingName)> MissingStreamAsync()
    {
        _database.Execute("CREATE TABLE other (x INTEGER)");
        return Task.FromResult((_database.Config, "no_such_table"));
    }

    [Fact]
    public Task Incremental_syncs_by_a_unicode_text_cursor_keep_ties_at_the_boundary() =>
        RangedReadChecks.SyncsByCursorAsync(new DuckDbConnector(), _database.Config, sql => _database.Execute(sql), "VARCHAR",
            ["'naïve'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvety'"]);

    [Fact]
    public Task Checkpoints_come_by_time_inside_a_range_and_resume_exactly() =>
        RangedReadChecks.CheckpointsByTimeInsideARangeAsync(new DuckDbConnector(), _database.Config, sql => _database.Execute(sql));

    [Fact]
    public Task Reads_in_key_ranges_and_resumes_after_the_last_committed_one() =>
        RangedReadChecks.ResumesAfterTheLastRangeAsync(new DuckDbConnector(), _database.Config, sql => _database.Execute(sql));

    [Fact]
    public Task Incremental_keeps_rows_committed_later_with_the_last_cursor_value() =>
        RangedReadChecks.KeepsRowsTyingWithTheLastCursorAsync(new DuckDbConnector(), _database.Config, sql => _database.Execute(sql), "TIMESTAMP", ["TIMESTAMP '2024-01-01 00:00:00'", "TIMESTAMP '2024-01-02 00:00:00.5'", "TIMESTAMP '2024-01-03 00:00:00'"]);

    [Fact]
    public Task Incremental_keeps_ties_with_an_integer_cursor() =>
        RangedReadChecks.KeepsRowsTyingWithTheLastCursorAsync(new DuckDbConnector(), _database.Config, sql => _database.Execute(sql), "INTEGER", ["10", "20", "30"]);

    [Fact]
    public async Task Discovers_native_types_exactly()
    {
        _database.Execute("CREATE SCHEMA sales");
        _database.Execute("CREATE TABLE sales.typed (a DECIMAL(38,10), b HUGEINT, c TIMESTAMPTZ, d UUID, e JSON, f INTEGER[], g STRUCT(x INTEGER), h TINYINT, i FLOAT, j BLOB, k TIME, l INTERVAL)");
        var stream = (await new DuckDbConnector().DiscoverAsync(_database.Config, CancellationToken.None)).Streams.Single(s => s.Name == "typed");

        Assert.Equal("sales", stream.Namespace);
        Assert.Equal(
            [LogicalType.Decimal(38, 10), LogicalType.BigDecimal, LogicalType.TimestampTz, LogicalType.Uuid, LogicalType.Json, LogicalType.Json,
                LogicalType.Json, LogicalType.Int8, LogicalType.Float32, LogicalType.Binary, LogicalType.Time, LogicalType.Interval],
            stream.Columns.Select(c => c.Type));
    }

    [Fact]
    public async Task Reads_nested_values_as_json_and_wide_decimals_exactly()
    {
        _database.Execute("CREATE TABLE nested (id INTEGER, wide DECIMAL(38,10), list INTEGER[], obj STRUCT(x INTEGER, y VARCHAR))");
        _database.Execute("INSERT INTO nested VALUES (1, 1234567890123456789012345678.0123456789, [1, 2], {'x': 3, 'y': 'z'})");
        var catalog = Sluice.Core.Catalog.ConfiguredCatalog.AllStreams(await new DuckDbConnector().DiscoverAsync(_database.Config, CancellationToken.None));

        var rows = new List<Dictionary<string, string?>>();
        await foreach (var message in new DuckDbConnector().ReadAsync(_database.Config, catalog, Sluice.Core.State.SyncState.Empty, CancellationToken.None))
            if (message is Sluice.Core.Messages.RecordBatchMessage batch)
                rows.AddRange(CanonicalRows(batch.Batch));

        var row = Assert.Single(rows);
        Assert.Equal("1234567890123456789012345678.0123456789", row["wide"]);
        Assert.Equal("[1,2]", row["list"]);
        Assert.Equal("""{"x":3,"y":"z"}""", row["obj"]);
    }

    internal static IEnumerable<Dictionary<string, string?>> CanonicalRows(RecordBatch batch) => Rows(batch);

    public void Dispose() => _database.Dispose();
}
