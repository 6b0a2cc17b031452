using Sluice.Connectors.Postgres;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresDirectTransferTests
{
    private const string Orders = """
        create type status as enum ('new', 'paid');
        create table orders (id bigint primary key, customer_id int not null, created_at timestamptz not null, amount numeric(12,2),
            status status, note text, payload jsonb, paid boolean, ref uuid, tags text[]);
        insert into orders select g, (g * 7919) % 1000, now() - (g || ' seconds')::interval, (g % 100000) / 100.0,
            (array['new','paid'])[1 + g % 2]::status, md5(g::text), jsonb_build_object('k', g), g % 3 = 0, md5(g::text)::uuid, array['a', g::text]
        from generate_series(1, 40000) g;
        insert into orders (id, customer_id, created_at) values (0, 0, 'infinity');
        """;

    private const string Md5 = "select md5(string_agg(t::text, ',' order by id)) from (select id, customer_id, created_at, amount, status::text, note, payload, paid, ref, tags from orders) t";

    private sealed class Progress : IProgress<DirectTransferProgress>
    {
        public DirectTransferProgress? Last;
        public void Report(DirectTransferProgress value) => Last = value;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Overwrite_copies_identical_rows_with_metadata_and_key(int parallelism)
    {
        var source = await PostgresTestDb.CreateAsync("dtsrc", Orders);
        var destination = await PostgresTestDb.CreateAsync("dtdst", "create table orders (id int); insert into orders values (42);");
        var stream = (await source.CatalogAsync()).Streams.Single(s => s.Stream.Name == "orders");
        var transfer = new PostgresDirectTransfer { MaxParallelism = parallelism, ParallelThresholdBytes = 0 };
        var connector = new PostgresConnector();
        Assert.True(transfer.CanTransfer(connector, connector, stream));
        var context = PostgresTestDb.NewContext();
        var progress = new Progress();

        var result = await transfer.TransferAsync(source.Config(), destination.Config(), stream, context, progress, CancellationToken.None);

        Assert.Equal(40001, result.Records);
        Assert.True(result.Bytes > 1_000_000);
        Assert.Equal(40001, progress.Last!.Records);
        Assert.Equal(await source.ScalarAsync<string>(Md5), await destination.ScalarAsync<string>(Md5));
        Assert.Equal(40001, await destination.ScalarAsync<long>($"select count(*) from orders where _sluice_sync_id = {context.SyncId} and _sluice_extracted_at = '2026-01-02 03:04:05+00'"));
        Assert.Equal("orders_pkey", await destination.ScalarAsync<string>("select conname from pg_constraint where conrelid = 'orders'::regclass and contype = 'p'"));
        Assert.Equal("text", await destination.ScalarAsync<string>("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'orders'::regclass and attname = 'status'"));
        Assert.Equal(0, await destination.ScalarAsync<long>("select count(*) from pg_class where relname like '\\_sluice\\_tmp%'"));
    }

    [Fact]
    public async Task Append_adds_to_the_existing_table_and_renames_columns()
    {
        var source = await PostgresTestDb.CreateAsync("dtapp", "create table t (id int primary key, v text); insert into t select g, 'v' from generate_series(1, 100) g;");
        var destination = await PostgresTestDb.CreateAsync("dtappdst");
        var stream = (await source.CatalogAsync(DestinationSyncMode.Append)).Streams[0] with
        {
            Mappings = [new ColumnMapping("v", ColumnMappingKind.Rename, "value")],
        };
        var transfer = new PostgresDirectTransfer();
        await transfer.TransferAsync(source.Config(), destination.Config(), stream, PostgresTestDb.NewContext(), new Progress(), CancellationToken.None);
        var result = await transfer.TransferAsync(source.Config(), destination.Config(), stream, PostgresTestDb.NewContext(), new Progress(), CancellationToken.None);

        Assert.Equal(100, result.Records);
        Assert.Equal(200, await destination.ScalarAsync<long>("select count(value) from t"));
    }

    [Fact]
    public void Refuses_incremental_dedup_and_hashing()
    {
        var connector = new PostgresConnector();
        var schema = new StreamSchema { Descriptor = new("t", "public"), Columns = [new("id", Core.Types.LogicalType.Int32)] };
        var stream = new ConfiguredStream { Stream = schema };
        var transfer = new PostgresDirectTransfer();
        Assert.True(transfer.CanTransfer(connector, connector, stream));
        Assert.False(transfer.CanTransfer(connector, connector, stream with { SyncMode = SyncMode.Incremental }));
        Assert.False(transfer.CanTransfer(connector, connector, stream with { DestinationSyncMode = DestinationSyncMode.AppendDedup }));
        Assert.False(transfer.CanTransfer(connector, connector, stream with { Mappings = [new ColumnMapping("id", ColumnMappingKind.Hash)] }));
        Assert.False(transfer.CanTransfer(connector, connector, stream with { Mappings = [new ColumnMapping("id", ColumnMappingKind.Mask)] }));
    }
}
