using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Testing;
using static Sluice.Connectors.Tests.MySql.MySqlTestSupport;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlReadTests
{
    [Fact]
    public async Task Full_refresh_yields_typed_batches_then_checkpoint_then_complete()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("read");
        await server.ExecuteAsync(database, MySqlAllTypes.Create);
        await server.ExecuteAsync(database, MySqlAllTypes.Insert);
        var config = Config(server, database);
        var messages = await ReadAllAsync(config, await CatalogAsync(config));

        var stream = new StreamDescriptor("all_types", database);
        Assert.Equal(new StreamStatusMessage(stream, StreamStatus.Started), messages[0]);
        Assert.IsType<CheckpointMessage>(messages[^2]);
        Assert.Equal(new StreamStatusMessage(stream, StreamStatus.Complete), messages[^1]);
        var batch = messages.OfType<RecordBatchMessage>().Single().Batch;
        Assert.Equal(3, batch.Length);

        string? Text(string column, int row) => ArrowValues.ToText(batch.Column(batch.Schema.GetFieldIndex(column)), row);
        Assert.Equal("18446744073709551615", Text("biu", 0));
        Assert.Equal("-9223372036854775808", Text("bi", 2));
        Assert.Equal("12345678901234567890123456789012345.123456789012345678901234567890", Text("d65", 0));
        Assert.Equal("12345678901234567890.0123456789", Text("d30", 0));
        Assert.Equal("1234567890.12", Text("d", 0));
        Assert.Equal("2730", Text("bit12", 0));
        Assert.Equal("true", Text("bit1", 0));
        Assert.Equal("emoji 😀🎉 and 表", Text("tx", 0));
        Assert.Equal("2024-02-29", Text("dt", 0));
        Assert.Equal("2024-02-29T13:14:15.123456", Text("dtm", 0));
        Assert.Equal("2038-01-19T03:14:07.999999Z", Text("ts", 0));
        Assert.Equal("23:59:59.999999", Text("tm", 0));
        Assert.Equal("x,z", Text("st", 0));
        Assert.Equal("2155", Text("yr", 0));
        Assert.Equal(Convert.ToBase64String([1, 2, 0, 0]), Text("bn", 0));
        // POINT(1 2) as little-endian WKB: byte order, type 1, x, y.
        Assert.Equal("0101000000000000000000F03F0000000000000040", Convert.ToHexString(((BinaryArray)batch.Column(batch.Schema.GetFieldIndex("pt"))).GetBytes(0)));
        for (var c = 1; c < batch.ColumnCount; c++)
            Assert.True(batch.Column(c).IsNull(1), $"column {batch.Schema.GetFieldByIndex(c).Name} of the all-NULL row");
        Assert.Null(Text("dt", 2)); // zero date
        Assert.Null(Text("dtm", 2));
        Assert.Equal("sluice.type", batch.Schema.GetFieldByName("js").Metadata.Keys.Single());
    }

    [Fact]
    public async Task Values_parsed_from_the_servers_text_bytes_keep_charsets_fractions_and_edges()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("rawtext");
        await server.ExecuteAsync(database, """
            set session sql_mode = '', time_zone = '+00:00';
            create table t (id int primary key, l1 varchar(20) character set latin1, u3 text character set utf8mb3,
              b tinyint(1), z int(6) zerofill, d0 datetime, d3 datetime(3), ts0 timestamp null, dt date,
              n decimal(5,5), big decimal(38,0), ub bigint unsigned);
            insert into t values
              (1, 'café', 'naïve ✓', 5, 42, '1969-12-31 23:59:59', '2024-01-02 03:04:05.120', '2001-02-03 04:05:06', '0001-01-01',
               0.12345, 99999999999999999999999999999999999999, 18446744073709551615),
              (2, '', '', -1, 0, '9999-12-31 23:59:59', '1000-01-01 00:00:00.001', '1970-01-01 00:00:01', '9999-12-31',
               -0.00001, -99999999999999999999999999999999999999, 0),
              (3, null, null, 0, null, '2024-00-10 00:00:00', '0000-00-00 00:00:00.000', null, '2024-05-00',
               0, 0, null)
            """);
        var config = Config(server, database);
        var batch = (await ReadAllAsync(config, await CatalogAsync(config))).OfType<RecordBatchMessage>().Single().Batch;

        IEnumerable<string?> Texts(string column) =>
            Enumerable.Range(0, batch.Length).Select(r => ArrowValues.ToText(batch.Column(batch.Schema.GetFieldIndex(column)), r));
        Assert.Equal(new[] { "café", "", null }, Texts("l1"));
        Assert.Equal(new[] { "naïve ✓", "", null }, Texts("u3"));
        Assert.Equal(new[] { "true", "true", "false" }, Texts("b"));
        Assert.Equal(new[] { "42", "0", null }, Texts("z"));
        Assert.Equal(new[] { "1969-12-31T23:59:59.000000", "9999-12-31T23:59:59.000000", null }, Texts("d0"));
        Assert.Equal(new[] { "2024-01-02T03:04:05.120000", "1000-01-01T00:00:00.001000", null }, Texts("d3"));
        Assert.Equal(new[] { "2001-02-03T04:05:06.000000Z", "1970-01-01T00:00:01.000000Z", null }, Texts("ts0"));
        Assert.Equal(new[] { "0001-01-01", "9999-12-31", null }, Texts("dt"));
        Assert.Equal(new[] { "0.12345", "-0.00001", "0.00000" }, Texts("n"));
        Assert.Equal(new[] { "99999999999999999999999999999999999999", "-99999999999999999999999999999999999999", "0" }, Texts("big"));
        Assert.Equal(new[] { "18446744073709551615", "0", null }, Texts("ub"));
    }

    [Fact]
    public async Task Large_tables_stream_in_several_batches()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("batches");
        await server.ExecuteAsync(database, "create table t (id bigint primary key, s varchar(20)); insert into t select seq, concat('row ', seq) from seq_1_to_70000");
        var config = Config(server, database);
        var batches = (await ReadAllAsync(config, await CatalogAsync(config))).OfType<RecordBatchMessage>().ToList();
        Assert.True(batches.Count >= 3);
        Assert.Equal(70000, batches.Sum(b => b.Batch.Length));
    }

    [Fact]
    public async Task Time_outside_a_day_fails_with_the_column_named()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("time");
        await server.ExecuteAsync(database, "create table t (id int primary key, elapsed time); insert into t values (1, '-01:00:00'), (2, '100:00:00')");
        var config = Config(server, database);
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await ReadAllAsync(config, await CatalogAsync(config)));
        Assert.Contains("column 'elapsed'", e.Message);
    }

    [Fact]
    public async Task Incremental_reads_only_rows_from_the_committed_cursor_on()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("incremental");
        await server.ExecuteAsync(database, "create table t (id int primary key, updated_at datetime(6)); insert into t values (1, '2024-01-01 00:00:00'), (2, '2024-01-02 00:00:00.5')");
        var config = Config(server, database);
        var catalog = IncrementalCatalog(await CatalogAsync(config));

        var first = await ReadAllAsync(config, catalog);
        Assert.Equal([1, 2], Ids(first));
        var checkpoint = first.OfType<CheckpointMessage>().Single().Checkpoint;
        Assert.Equal("2024-01-02 00:00:00.500000", checkpoint.Data["cursor"]!.GetValue<string>());
        Assert.Equal("cursor_based", checkpoint.Data["state_type"]!.GetValue<string>());

        // Row 4 is older than the saved cursor: never read. Row 2 holds the saved cursor value: read again (the
        // documented boundary guarantee: rows at the last cursor value are re-read rather than lost).
        await server.ExecuteAsync(database, "insert into t values (3, '2024-01-03 00:00:00'), (4, '2023-12-31 00:00:00')");
        var second = await ReadAllAsync(config, catalog, SyncState.Empty.With(checkpoint));
        Assert.Equal([2, 3], Ids(second));

        var third = await ReadAllAsync(config, catalog, SyncState.Empty.With(second.OfType<CheckpointMessage>().Single().Checkpoint));
        Assert.Equal([3], Ids(third));
        Assert.Equal("2024-01-03 00:00:00.000000", third.OfType<CheckpointMessage>().Single().Checkpoint.Data["cursor"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rows_committed_later_with_the_last_cursor_value_are_not_lost()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("tie");
        await server.ExecuteAsync(database, "create table t (id int primary key, n bigint not null); insert into t values (1, 10), (2, 20), (3, 20)");
        var config = Config(server, database);
        var catalog = new ConfiguredCatalog([(await CatalogAsync(config)).Streams[0] with { SyncMode = SyncMode.Incremental, CursorField = ["n"], DestinationSyncMode = DestinationSyncMode.AppendDedup, PrimaryKey = [["id"]] }]);

        var first = await ReadAllAsync(config, catalog);
        Assert.Equal([1, 2, 3], Ids(first));
        Assert.Equal("20", first.OfType<CheckpointMessage>().Last().Checkpoint.Data["cursor"]!.GetValue<string>());

        // A transaction that took its cursor value before the sync's maximum but committed after the sync.
        await server.ExecuteAsync(database, "insert into t values (4, 20), (5, 30)");
        var second = await ReadAllAsync(config, catalog, SyncState.Empty.With(first.OfType<CheckpointMessage>().Last().Checkpoint));
        Assert.Equal([2, 3, 4, 5], Ids(second));
    }

    /// <summary>Under a case-insensitive collation the three spellings of the middle value are one value: all tie.</summary>
    [Fact]
    public async Task Incremental_syncs_by_a_unicode_text_cursor_keep_ties_at_the_boundary()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("textcursor");
        await Compliance.RangedReadChecks.SyncsByCursorAsync(Connector, Config(server, database),
            sql => server.ExecuteAsync(database, sql).GetAwaiter().GetResult(), "VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            ["'naïve'", "'naïvely 🐍'", "'NAÏVELY 🐍'", "'Naïvely 🐍'", "'naïvety'"]);
    }

    [Fact]
    public async Task Checkpoints_come_by_time_inside_a_range_and_resume_exactly()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("bytime");
        await Compliance.RangedReadChecks.CheckpointsByTimeInsideARangeAsync(Connector, Config(server, database),
            sql => server.ExecuteAsync(database, sql).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task A_read_resumes_after_the_last_committed_key_range()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("ranges");
        // Cursor values repeat seven at a time, so range boundaries fall inside runs of equal cursors.
        await server.ExecuteAsync(database, "create table t (id bigint primary key, n int not null, key (n)); insert into t select seq, seq div 7 from seq_1_to_1000");
        var config = Config(server, database);
        config["checkpoint_rows"] = 100;
        foreach (var incremental in new[] { false, true })
        {
            var stream = (await CatalogAsync(config)).Streams[0];
            var catalog = new ConfiguredCatalog([incremental
                ? stream with { SyncMode = SyncMode.Incremental, CursorField = ["n"], DestinationSyncMode = DestinationSyncMode.Append }
                : stream with { DestinationSyncMode = DestinationSyncMode.Append }]);

            var whole = await ReadAllAsync(config, catalog);
            var checkpoints = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).ToList();
            Assert.Equal(11, checkpoints.Count); // ten ranges of 100, then the completed state
            Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), Ids(whole).Order());

            // Resuming after the fourth committed range reads exactly the rows the whole read had after it.
            var resumed = await ReadAllAsync(config, catalog, SyncState.Empty.With(checkpoints[3]));
            var readBefore = whole.TakeWhile(m => m is not CheckpointMessage c || c.Checkpoint != checkpoints[3]).OfType<RecordBatchMessage>().Sum(b => b.Batch.Length);
            Assert.Equal(400, readBefore);
            Assert.Equal(Ids(whole).Skip(400), Ids(resumed));
            Assert.Equal(checkpoints[^1].Data.ToJsonString(), resumed.OfType<CheckpointMessage>().Last().Checkpoint.Data.ToJsonString());
        }
    }

    private static ConfiguredCatalog IncrementalCatalog(ConfiguredCatalog discovered) =>
        new([discovered.Streams[0] with { SyncMode = SyncMode.Incremental, CursorField = ["updated_at"], DestinationSyncMode = DestinationSyncMode.Append }]);

    private static List<long> Ids(IEnumerable<SourceMessage> messages) =>
        messages.OfType<RecordBatchMessage>().SelectMany(b => Enumerable.Range(0, b.Batch.Length).Select(i => long.Parse(ArrowValues.ToText(b.Batch.Column(0), i)!))).ToList();

    [Fact]
    public async Task Selected_columns_limit_what_is_read()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("select");
        await server.ExecuteAsync(database, "create table t (id int primary key, a text, b text); insert into t values (1, 'x', 'y')");
        var config = Config(server, database);
        var catalog = await CatalogAsync(config);
        catalog = new ConfiguredCatalog([catalog.Streams[0] with { SelectedColumns = ["id", "b"] }]);
        var batch = (await ReadAllAsync(config, catalog)).OfType<RecordBatchMessage>().Single().Batch;
        Assert.Equal(["id", "b"], batch.Schema.FieldsList.Select(f => f.Name));
    }
}
