using Sluice.Core.Catalog;
using Sluice.Testing;
using static Sluice.Connectors.Tests.MySql.MySqlTestSupport;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlWriteTests
{
    [Theory]
    [InlineData("load_data")]
    [InlineData("insert")]
    public async Task Every_type_round_trips_mariadb_to_mariadb(string loadMethod)
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("rt_src");
        var target = await server.CreateDatabaseAsync("rt_dst");
        await server.ExecuteAsync(source, MySqlAllTypes.Create);
        await server.ExecuteAsync(source, MySqlAllTypes.Insert);
        var sourceConfig = Config(server, source);
        var catalog = await CatalogAsync(sourceConfig);

        var committed = await SyncAsync(sourceConfig, Config(server, target, loadMethod), catalog, syncId: 42);

        Assert.Single(committed);
        var columns = string.Join(", ", MySqlAllTypes.Columns.Select(c => $"`{c}`"));
        var expected = await RowsAsync(server, source, $"select {columns}, ST_AsBinary(pt) from all_types order by id");
        // The documented rule: zero dates arrive as NULL.
        expected[2][Array.IndexOf(MySqlAllTypes.Columns, "dt")] = "NULL";
        expected[2][Array.IndexOf(MySqlAllTypes.Columns, "dtm")] = "NULL";
        var actual = await RowsAsync(server, target, $"select {columns}, pt from all_types order by id");
        Assert.Equal(Text(expected), Text(actual));

        var meta = await RowsAsync(server, target, "select distinct _sluice_sync_id, _sluice_extracted_at from all_types");
        Assert.Equal("42 | 2025-01-02 03:04:05.000000", Text(meta));
        var types = Text(await RowsAsync(server, target,
            $"select COLUMN_NAME, COLUMN_TYPE from information_schema.COLUMNS where TABLE_SCHEMA = '{target}' and TABLE_NAME = 'all_types' " +
            "and COLUMN_NAME in ('id', 'b', 'biu', 'd', 'd65', 'bit12', 'vc', 'ts', 'tm', 'uu') order by COLUMN_NAME"));
        Assert.Equal("""
            b | tinyint(1)
            bit12 | bigint(20) unsigned
            biu | bigint(20) unsigned
            d | decimal(12,2)
            d65 | decimal(65,30)
            id | int(11)
            tm | time(6)
            ts | datetime(6)
            uu | char(36)
            vc | longtext
            """.ReplaceLineEndings("\n"), types);
    }

    [Fact]
    public async Task Overwrite_replaces_the_table_and_append_adds_to_it()
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("modes_src");
        var target = await server.CreateDatabaseAsync("modes_dst");
        await server.ExecuteAsync(source, "create table t (id int primary key, name varchar(20)); insert into t values (1, 'one'), (2, 'two')");
        var sourceConfig = Config(server, source);
        var targetConfig = Config(server, target);
        var overwrite = await CatalogAsync(sourceConfig, DestinationSyncMode.Overwrite);
        var append = await CatalogAsync(sourceConfig, DestinationSyncMode.Append);

        await SyncAsync(sourceConfig, targetConfig, overwrite, syncId: 1);
        await server.ExecuteAsync(source, "delete from t where id = 1; insert into t values (3, 'three')");
        await SyncAsync(sourceConfig, targetConfig, overwrite, syncId: 2);
        Assert.Equal("2 | two | 2\n3 | three | 2", Text(await RowsAsync(server, target, "select id, name, _sluice_sync_id from t order by id")));
        Assert.Equal("t", Text(await RowsAsync(server, target, $"select TABLE_NAME from information_schema.TABLES where TABLE_SCHEMA = '{target}' and TABLE_NAME <> '_sluice_state'")));

        await SyncAsync(sourceConfig, targetConfig, append, syncId: 3);
        Assert.Equal("2 | 2\n2 | 3\n3 | 2\n3 | 3", Text(await RowsAsync(server, target, "select id, _sluice_sync_id from t order by id, _sluice_sync_id")));
    }

    /// <summary>
    /// What kill -9 can leave around the swap (DDL commits on its own in MySQL): a half-loaded staging table (killed
    /// before the RENAME), the previous copy under its old name (killed between the RENAME and the DROP) and the
    /// previous sync's state (killed before the state write). The next overwrite must converge from all of them.
    /// </summary>
    [Fact]
    public async Task Overwrite_converges_from_what_a_crash_around_the_swap_leaves()
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("swap_src");
        var target = await server.CreateDatabaseAsync("swap_dst");
        await server.ExecuteAsync(source, "create table t (id int primary key, name varchar(20)); insert into t values (1, 'one'), (2, 'two')");
        var sourceConfig = Config(server, source);
        var targetConfig = Config(server, target);
        var overwrite = await CatalogAsync(sourceConfig, DestinationSyncMode.Overwrite);
        await SyncAsync(sourceConfig, targetConfig, overwrite, syncId: 1);

        await server.ExecuteAsync(target, """
            create table _sluice_tmp_t (id int, junk text); insert into _sluice_tmp_t values (99, 'half loaded');
            create table _sluice_old_t (id int); insert into _sluice_old_t values (98);
            update _sluice_state set sync_id = 0, state = '{"after": ["1"]}';
            """);
        await server.ExecuteAsync(source, "delete from t where id = 1; insert into t values (3, 'three')");
        var committed = await SyncAsync(sourceConfig, targetConfig, overwrite, syncId: 2);

        Assert.NotEmpty(committed);
        Assert.Equal("2 | two | 2\n3 | three | 2", Text(await RowsAsync(server, target, "select id, name, _sluice_sync_id from t order by id")));
        Assert.Equal("_sluice_state\nt", Text(await RowsAsync(server, target, $"select TABLE_NAME from information_schema.TABLES where TABLE_SCHEMA = '{target}' order by cast(TABLE_NAME as binary)")));
        Assert.Equal("2", Text(await RowsAsync(server, target, "select sync_id from _sluice_state")));
    }

    [Fact]
    public async Task Empty_source_table_overwrites_with_an_empty_table()
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("empty_src");
        var target = await server.CreateDatabaseAsync("empty_dst");
        await server.ExecuteAsync(source, "create table t (id int primary key)");
        await server.ExecuteAsync(target, "create table t (id int, old_column text); insert into t values (1, 'stale')");
        var sourceConfig = Config(server, source);

        var committed = await SyncAsync(sourceConfig, Config(server, target), await CatalogAsync(sourceConfig));

        Assert.Single(committed);
        Assert.Equal(0L, await server.ScalarAsync<long>(target, "select count(*) from t"));
        Assert.Equal(0L, await server.ScalarAsync<long>(target, $"select count(*) from information_schema.COLUMNS where TABLE_SCHEMA = '{target}' and COLUMN_NAME = 'old_column'"));
    }

    [Fact]
    public async Task Weird_identifiers_survive_quoting()
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("weird_src");
        var target = await server.CreateDatabaseAsync("weird_dst");
        await server.ExecuteAsync(source, """
            create table `Order ``Items`` Ünïcødé 表` (`select` varchar(50) primary key, `Mixed Case` int, `a``b` text, `order` date, `ñ 表` json);
            insert into `Order ``Items`` Ünïcødé 表` values ('k1', 1, 'x`y', '2024-01-01', '{"a": 1}'), ('k2', 2, null, null, null);
            """);
        var sourceConfig = Config(server, source);
        var catalog = await CatalogAsync(sourceConfig);
        Assert.Equal("Order `Items` Ünïcødé 表", catalog.Streams.Single().Stream.Name);

        await SyncAsync(sourceConfig, Config(server, target), catalog);
        await SyncAsync(sourceConfig, Config(server, target), catalog);

        Assert.Equal("k2 | 2 | NULL | NULL | NULL\nk1 | 1 | x`y | 2024-01-01 00:00:00.000000 | {\"a\": 1}",
            Text(await RowsAsync(server, target, "select `select`, `Mixed Case`, `a``b`, `order`, `ñ 表` from `Order ``Items`` Ünïcødé 表` order by `Mixed Case` desc")));
        Assert.Equal("varchar(255)", await server.ScalarAsync<string>(target,
            $"select COLUMN_TYPE from information_schema.COLUMNS where TABLE_SCHEMA = '{target}' and COLUMN_NAME = 'select'"));
    }

    [Fact]
    public async Task A_deduped_stream_without_a_primary_key_is_a_config_error()
    {
        var server = await MariaDbServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("dedup");
        await server.ExecuteAsync(source, "create table t (id int)");
        var config = Config(server, source);
        var catalog = await CatalogAsync(config, DestinationSyncMode.AppendDedup);
        var e = await Assert.ThrowsAsync<Core.Connectors.ConfigException>(() => SyncAsync(config, config, catalog));
        Assert.Contains("primary_key", e.Field);
        Assert.Contains("append_dedup needs a primary key", e.Message);
    }
}
