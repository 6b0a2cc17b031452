using System.Runtime.CompilerServices;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresWriteTests
{
    private const string Orders = "create table orders (id int primary key, note text); insert into orders select g, 'n' || g from generate_series(1, 30000) g;";

    [Fact]
    public async Task Overwrite_replaces_the_table_and_readers_see_the_old_rows_until_the_swap()
    {
        var source = await PostgresTestDb.CreateAsync("owsrc", Orders);
        var destination = await PostgresTestDb.CreateAsync("owdst", "create table orders (id int, note text); insert into orders values (-1, 'old'), (-2, 'old');");
        var catalog = await source.CatalogAsync();
        var seenDuringLoad = new List<long>();

        async IAsyncEnumerable<SourceMessage> Observe(IAsyncEnumerable<SourceMessage> messages)
        {
            await foreach (var m in messages)
            {
                yield return m;
                if (m is RecordBatchMessage)
                    seenDuringLoad.Add(await destination.ScalarAsync<long>("select count(*) from orders"));
            }
        }

        var checkpoints = await PostgresTestDb.SyncAsync(source, destination, catalog, tap: Observe);

        Assert.Single(checkpoints);
        Assert.NotEmpty(seenDuringLoad);
        Assert.All(seenDuringLoad, count => Assert.Equal(2, count));
        Assert.Equal(30000, await destination.ScalarAsync<long>("select count(*) from orders"));
        Assert.Equal(0, await destination.ScalarAsync<long>("select count(*) from orders where id < 0"));
        Assert.Equal(0, await destination.ScalarAsync<long>("select count(*) from pg_class where relname like '\\_sluice\\_tmp%'"));
        Assert.Equal("orders_pkey", await destination.ScalarAsync<string>("select conname from pg_constraint where conrelid = 'orders'::regclass and contype = 'p'"));
    }

    [Fact]
    public async Task A_failed_overwrite_keeps_the_old_table_and_yields_no_checkpoint()
    {
        var source = await PostgresTestDb.CreateAsync("failsrc", Orders);
        var destination = await PostgresTestDb.CreateAsync("faildst", "create table orders (id int, note text); insert into orders values (-1, 'old');");
        var catalog = await source.CatalogAsync();

        static async IAsyncEnumerable<SourceMessage> FailAfterFirstBatch(IAsyncEnumerable<SourceMessage> messages, [EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var m in messages.WithCancellation(ct))
            {
                yield return m;
                if (m is RecordBatchMessage)
                    throw new IOException("source went away");
            }
        }

        var error = await Assert.ThrowsAsync<IOException>(() => PostgresTestDb.SyncAsync(source, destination, catalog, tap: m => FailAfterFirstBatch(m)));
        Assert.Equal("source went away", error.Message);
        Assert.Equal("-1|old", Assert.Single(await destination.RowsAsync("select id, note from orders")));
        Assert.Equal(0, await destination.ScalarAsync<long>("select count(*) from pg_class where relname like '\\_sluice\\_tmp%'"));
    }

    [Fact]
    public async Task Append_adds_rows_and_missing_metadata_columns_and_commits_before_each_checkpoint()
    {
        var source = await PostgresTestDb.CreateAsync("apsrc", "create table orders (id int primary key, note text); insert into orders values (1, 'a'), (2, 'b');");
        var destination = await PostgresTestDb.CreateAsync("apdst", "create table orders (id int, note text); insert into orders values (0, 'existing');");
        var catalog = await source.CatalogAsync(Core.Catalog.DestinationSyncMode.Append);

        await PostgresTestDb.SyncAsync(source, destination, catalog);
        var second = PostgresTestDb.NewContext();
        var checkpoints = await PostgresTestDb.SyncAsync(source, destination, catalog, second);

        Assert.Single(checkpoints);
        Assert.Equal(5, await destination.ScalarAsync<long>("select count(*) from orders"));
        Assert.Equal(2, await destination.ScalarAsync<long>($"select count(*) from orders where _sluice_sync_id = {second.SyncId}"));
        Assert.Equal(1, await destination.ScalarAsync<long>("select count(*) from orders where _sluice_sync_id is null"));
    }

    [Fact]
    public async Task Append_refuses_an_incompatible_existing_column_with_a_clear_message()
    {
        var source = await PostgresTestDb.CreateAsync("apbad", "create table orders (id int, note text); insert into orders values (1, 'a');");
        var destination = await PostgresTestDb.CreateAsync("apbaddst", "create table orders (id uuid, note text);");
        var catalog = await source.CatalogAsync(Core.Catalog.DestinationSyncMode.Append);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresTestDb.SyncAsync(source, destination, catalog));
        Assert.Contains("column id of public.orders is uuid", error.Message);
    }

    [Fact]
    public async Task Weird_identifiers_survive_in_schemas_tables_and_columns()
    {
        var source = await PostgresTestDb.CreateAsync("weird", """
            create schema "Ünïcødé 表";
            create table "Ünïcødé 表"."select" ("order" int primary key, "MixedCase" text, "we""ird col" text, "🙂" bool);
            insert into "Ünïcødé 表"."select" values (1, 'a', 'b', true), (2, null, 'it''s', false);
            """);
        var destination = await PostgresTestDb.CreateAsync("weirddst");
        var catalog = await source.CatalogAsync(schemas: ["Ünïcødé 表"]);
        var stream = Assert.Single(catalog.Streams);
        Assert.Equal(["order", "MixedCase", "we\"ird col", "🙂"], stream.Stream.Columns.Select(c => c.Name));
        catalog = new ConfiguredCatalog([stream with { DestinationNamespace = "Dest \"ns\"", DestinationName = "Sel\"ect" }]);

        await PostgresTestDb.SyncAsync(source, destination, catalog);

        Assert.Equal(["1|a|b|True", "2|∅|it's|False"],
            await destination.RowsAsync("select \"order\", \"MixedCase\", \"we\"\"ird col\", \"🙂\" from \"Dest \"\"ns\"\"\".\"Sel\"\"ect\" order by 1"));
    }
}
