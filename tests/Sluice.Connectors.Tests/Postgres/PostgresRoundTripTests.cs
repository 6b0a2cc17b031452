using Sluice.Connectors.Postgres;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresRoundTripTests
{
    private static readonly string[] Columns =
    [
        "c_int2", "c_int4", "c_int8", "c_float4", "c_float8", "c_num", "c_num38", "c_numbig", "c_numfree",
        "c_text", "c_varchar", "c_char", "c_citext", "c_name", "c_bytea", "c_bool", "c_date", "c_time", "c_timetz", "c_ts", "c_tstz",
        "c_interval", "c_uuid", "c_json", "c_jsonb", "c_enum", "c_intarr", "c_textarr", "c_inet",
    ];

    /// <summary>Text forms comparable across source and destination: JSON compared as jsonb, arrays as their JSON.</summary>
    private static string Select(bool source) => "select id, " + string.Join(", ", Columns.Select(c => c switch
    {
        "c_json" or "c_jsonb" => $"{c}::jsonb::text",
        "c_intarr" or "c_textarr" when source => $"to_jsonb({c})::text",
        _ => $"{c}::text",
    })) + " from all_types order by id";

    [Fact]
    public async Task Every_type_survives_read_then_write_including_nulls_and_infinities()
    {
        var source = await PostgresTestDb.CreateAsync("rtsrc", PostgresTypesSql.Setup);
        var destination = await PostgresTestDb.CreateAsync("rtdst");
        var catalog = await source.CatalogAsync(streams: "all_types");
        var context = PostgresTestDb.NewContext();

        var checkpoints = await PostgresTestDb.SyncAsync(source, destination, catalog, context);

        Assert.Equal("{\"completed\":true}", Assert.Single(checkpoints).Data.ToJsonString());
        var expected = await source.RowsAsync(Select(source: true));
        var actual = await destination.RowsAsync(Select(source: false));
        Assert.Equal(6, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], actual[i]);
        Assert.Contains("12345678901234567890123456789012345678901234567890.1234567891", actual[2]);
        Assert.Contains("123456789012345678901234567890123456789012345678901234567890.123456789", actual[2]);

        var types = await destination.RowsAsync("select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.all_types'::regclass and attnum > 0 order by attnum");
        Assert.Contains("c_num|numeric(12,2)", types);
        Assert.Contains("c_num38|numeric(38,6)", types);
        Assert.Contains("c_numfree|numeric", types);
        Assert.Contains("c_enum|text", types);
        Assert.Contains("c_jsonb|jsonb", types);
        Assert.Contains("c_intarr|jsonb", types);
        Assert.Contains("c_interval|interval", types);
        Assert.Contains("c_timetz|time with time zone", types);
        Assert.Contains("c_uuid|uuid", types);
        Assert.Equal("_sluice_extracted_at|timestamp with time zone", types[^2]);
        Assert.Equal("_sluice_sync_id|bigint", types[^1]);
        Assert.Equal(6, await destination.ScalarAsync<long>($"select count(*) from all_types where _sluice_sync_id = {context.SyncId} and _sluice_extracted_at = '2026-01-02 03:04:05+00'"));
        Assert.Equal("id", await destination.ScalarAsync<string>("select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0] where i.indrelid = 'all_types'::regclass and i.indisprimary"));
    }

    [Fact]
    public async Task Source_emits_status_estimate_batches_and_a_final_checkpoint_and_skips_dropped_columns()
    {
        var source = await PostgresTestDb.CreateAsync("msgs", "create table t (id int primary key, secret text, v text); insert into t select g, 's', 'v' || g from generate_series(1, 70000) g; analyze t;");
        var catalog = await source.CatalogAsync();
        var stream = catalog.Streams[0] with { Mappings = [new ColumnMapping("secret", ColumnMappingKind.Drop)] };
        var messages = new List<SourceMessage>();
        await foreach (var m in new PostgresConnector().ReadAsync(source.Config(), new ConfiguredCatalog([stream]), Core.State.SyncState.Empty, CancellationToken.None))
            messages.Add(m);

        Assert.Equal(StreamStatus.Started, Assert.IsType<StreamStatusMessage>(messages[0]).Status);
        Assert.Equal(70000, Assert.IsType<EstimateMessage>(messages[1]).Rows);
        var batches = messages.OfType<RecordBatchMessage>().ToList();
        Assert.True(batches.Count >= 2, "70000 rows should span several batches");
        Assert.Equal(70000, batches.Sum(b => b.Batch.Length));
        Assert.Equal(["id", "v"], batches[0].Batch.Schema.FieldsList.Select(f => f.Name));
        Assert.IsType<CheckpointMessage>(messages[^2]);
        Assert.Equal(StreamStatus.Complete, Assert.IsType<StreamStatusMessage>(messages[^1]).Status);
    }

    [Fact]
    public async Task Incremental_reads_from_the_saved_cursor_inclusive()
    {
        var source = await PostgresTestDb.CreateAsync("incr", "create table t (id int primary key, v text); insert into t select g, 'v' from generate_series(1, 10) g;");
        var catalog = await source.CatalogAsync();
        var stream = catalog.Streams[0] with { SyncMode = SyncMode.Incremental, CursorField = ["id"] };
        var connector = new PostgresConnector();

        async Task<(long Rows, Core.State.Checkpoint Checkpoint)> ReadAsync(Core.State.SyncState state)
        {
            long rows = 0;
            Core.State.Checkpoint? last = null;
            await foreach (var m in connector.ReadAsync(source.Config(), new ConfiguredCatalog([stream]), state, CancellationToken.None))
                if (m is RecordBatchMessage b) rows += b.Batch.Length;
                else if (m is CheckpointMessage c) last = c.Checkpoint;
            return (rows, last!);
        }

        var first = await ReadAsync(Core.State.SyncState.Empty);
        Assert.Equal(10, first.Rows);
        Assert.Equal("10", first.Checkpoint.Data["cursor"]!.GetValue<string>());
        await source.ExecuteAsync("insert into t values (11, 'new'), (12, 'new')");
        var second = await ReadAsync(Core.State.SyncState.Empty.With(first.Checkpoint));
        Assert.Equal(3, second.Rows); // 10 again (the >= boundary), 11 and 12
        Assert.Equal("12", second.Checkpoint.Data["cursor"]!.GetValue<string>());
    }
    /// <summary>
    /// A row that took its cursor value before a sync's maximum but committed after the sync (the incremental
    /// boundary): the next sync reads it, with the rows sharing that value again, and nothing older.
    /// </summary>
    [Fact]
    public async Task Rows_committed_later_with_the_last_cursor_value_are_not_lost()
    {
        var source = await PostgresTestDb.CreateAsync("tie", "create table t (id int primary key, n bigint not null); insert into t values (1, 10), (2, 20), (3, 20);");
        var stream = (await source.CatalogAsync()).Streams[0] with
        {
            SyncMode = SyncMode.Incremental, CursorField = ["n"], DestinationSyncMode = DestinationSyncMode.AppendDedup, PrimaryKey = [["id"]],
        };
        var connector = new PostgresConnector();

        async Task<(List<long> Ids, Core.State.Checkpoint Last)> ReadAsync(Core.State.SyncState state)
        {
            var ids = new List<long>();
            Core.State.Checkpoint? last = null;
            await foreach (var m in connector.ReadAsync(source.Config(), new ConfiguredCatalog([stream]), state, CancellationToken.None))
                if (m is RecordBatchMessage b) ids.AddRange(Enumerable.Range(0, b.Batch.Length).Select(i => long.Parse(Core.Batches.ArrowValues.ToText(b.Batch.Column(0), i)!)));
                else if (m is CheckpointMessage c) last = c.Checkpoint;
            return (ids, last!);
        }

        var first = await ReadAsync(Core.State.SyncState.Empty);
        Assert.Equal([1, 2, 3], first.Ids.Order().ToList());
        Assert.Equal("20", first.Last.Data["cursor"]!.GetValue<string>());

        await source.ExecuteAsync("insert into t values (4, 20), (5, 30), (6, 5)");
        var second = await ReadAsync(Core.State.SyncState.Empty.With(first.Last));
        Assert.Equal([2, 3, 4, 5], second.Ids.Order().ToList());
    }
}
