using Sluice.Core.Evolution;
using Sluice.Core.Model;

namespace Sluice.Cli.Tests.SchemaEvolution;

/// <summary>
/// Source schema changes between syncs, end to end: a real PostgreSQL source whose table is altered, each policy,
/// and each destination that evolves tables (PostgreSQL, MariaDB, SQLite, DuckDB).
/// </summary>
public sealed class SchemaEvolutionTests
{
    private const string Orders = """
        create table orders(id integer primary key, qty integer, label text);
        insert into orders select g, g * 10, 'row ' || g from generate_series(1, 3) g;
        """;

    private const string AppendOrders = """
              - name: orders
                namespace: public
                destination_sync_mode: append
        """;

    [Theory]
    [InlineData("postgres", "bigint")]
    [InlineData("mysql", "bigint")]
    [InlineData("sqlite", "integer")]
    [InlineData("duckdb", "bigint")]
    public async Task Propagate_columns_adds_a_new_column_and_widens_int_to_bigint_in_an_appended_table(string destination, string widened)
    {
        await using var h = await EvolutionHarness.StartAsync(destination, "propagate_columns", Orders, AppendOrders);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("""
            alter table orders add column note text;
            alter table orders alter column qty type bigint;
            insert into orders values (4, 5000000000, 'row 4', 'new');
            """);
        var job = await h.SyncAsync();

        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        Assert.Equal("new", await h.ScalarAsync("select note from {t}orders where id = 4"));
        Assert.Equal("5000000000", await h.ScalarAsync("select qty from {t}orders where id = 4"));
        Assert.Null(await h.ScalarAsync("select max(note) from {t}orders where id = 1"));
        Assert.Equal(widened, await h.ColumnTypeAsync("orders", "qty"));
        var changes = await h.ChangesAsync();
        Assert.Contains(changes, c => c.Change.Kind == SchemaChangeKind.ColumnAdded && c.Change.Column == "note" && c.Action == SchemaChangeAction.Applied && c.JobId == job.Id);
        Assert.Contains(changes, c => c.Change is { Kind: SchemaChangeKind.ColumnTypeChanged, Column: "qty", OldType: "int32", NewType: "int64" }
            && c.Action == SchemaChangeAction.Applied && c.Message.Contains("widened", StringComparison.Ordinal));
        var stream = (await h.ConnectionAsync()).Catalog.Streams.Single();
        Assert.Equal("int64", stream.Stream.Column("qty")!.Type.ToString());
        Assert.NotNull(stream.Stream.Column("note"));

        // Nothing changed since: the next sync records nothing new.
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);
        Assert.Equal(changes.Count, (await h.ChangesAsync()).Count);
    }

    [Fact]
    public async Task Ignore_keeps_syncing_the_configured_columns_and_records_the_new_one_once()
    {
        await using var h = await EvolutionHarness.StartAsync("postgres", "ignore", Orders, AppendOrders);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("alter table orders add column note text; insert into orders values (4, 40, 'row 4', 'new');");
        var job = await h.SyncAsync();
        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        Assert.Equal("row 4", await h.ScalarAsync("select max(label) from {t}orders where id = 4"));
        Assert.Null(await h.ColumnTypeAsync("orders", "note"));
        var change = Assert.Single(await h.ChangesAsync());
        Assert.Equal((SchemaChangeKind.ColumnAdded, "note", SchemaChangeAction.Ignored), (change.Change.Kind, change.Change.Column, change.Action));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task Ignore_pauses_when_a_synced_column_is_removed_at_the_source(string destination)
    {
        await using var h = await EvolutionHarness.StartAsync(destination, "ignore", Orders, AppendOrders);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("alter table orders drop column label;");
        var job = await h.SyncAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("column label (string) removed", job.Error);
        Assert.Contains("policy ignore keeps syncing the configured columns", job.Error);
        Assert.Equal(ConnectionStatus.Paused, (await h.ConnectionAsync()).Status);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task Pause_policy_pauses_until_resumed_and_resuming_applies_the_reviewed_change(string destination)
    {
        await using var h = await EvolutionHarness.StartAsync(destination, "pause", Orders, AppendOrders);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("alter table orders add column note text; insert into orders values (4, 40, 'row 4', 'new');");
        var paused = await h.SyncAsync();
        var again = await h.SyncAsync();

        Assert.Equal(JobStatus.Failed, paused.Status);
        Assert.Contains("connection items is paused for source schema changes: stream public.orders: column note (string) added (policy pause", paused.Error);
        Assert.Contains("sluice connections resume items", paused.Error);
        Assert.Equal(JobStatus.Failed, again.Status);
        Assert.Contains("column note (string) added", again.Error); // a paused connection's job says why it is paused
        Assert.Equal(ConnectionStatus.Paused, (await h.ConnectionAsync()).Status);
        Assert.Equal(1, await h.Local.Get<Sluice.Metadata.IMetadataStore>().Jobs.ListAttemptsAsync(again.Id).ContinueWith(t => t.Result.Count));

        var resolved = await h.Local.Get<Engine.Jobs.ConnectionResolver>().ResolveAsync((await h.ConnectionAsync()).Id, CancellationToken.None);
        var resumed = await new Engine.Evolution.SchemaEvolution(h.Store).ResumeAsync(resolved, CancellationToken.None);
        Assert.Equal(ConnectionStatus.Active, resumed.Connection.Status);
        Assert.Equal(SchemaChangeAction.Applied, Assert.Single(resumed.Changes).Action);
        var job = await h.SyncAsync();

        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        Assert.Equal("new", await h.ScalarAsync("select note from {t}orders where id = 4"));
        Assert.Equal([SchemaChangeAction.Paused, SchemaChangeAction.Applied], (await h.ChangesAsync()).Select(c => c.Action));
    }

    [Theory]
    [InlineData("postgres", "bigint")]
    [InlineData("mysql", "bigint")]
    [InlineData("sqlite", "integer")]
    [InlineData("duckdb", "bigint")]
    public async Task Narrowing_a_type_of_an_appended_table_pauses_with_what_changed_and_what_to_do(string destination, string kept)
    {
        await using var h = await EvolutionHarness.StartAsync(destination, "propagate_all",
            "create table orders(id integer primary key, qty bigint, label text); insert into orders values (1, 10, 'a');", AppendOrders);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("alter table orders alter column qty type integer; alter table orders add column note text;");
        var job = await h.SyncAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("column qty changed type int64 -> int32", job.Error);
        Assert.Contains("not a safe widening", job.Error);
        Assert.Contains("reset the stream and sync it with overwrite", job.Error);
        Assert.DoesNotContain("note", job.Error); // the pause names its cause, not what it left undone
        Assert.Equal(ConnectionStatus.Paused, (await h.ConnectionAsync()).Status);
        Assert.Null(await h.ColumnTypeAsync("orders", "note")); // a pause applies nothing
        Assert.Equal(kept, await h.ColumnTypeAsync("orders", "qty"));
        Assert.Equal("a", await h.ScalarAsync("select label from {t}orders where id = 1")); // the synced rows stay
        Assert.All(await h.ChangesAsync(), c => Assert.Equal(SchemaChangeAction.Paused, c.Action));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task A_changed_primary_key_of_a_deduplicated_stream_pauses_and_an_overwrite_stream_follows_it(string destination)
    {
        await using var h = await EvolutionHarness.StartAsync(destination, "propagate_columns", """
            create table orders(id integer primary key, qty integer);
            create table prices(id integer primary key, amount integer);
            insert into orders values (1, 10); insert into prices values (1, 5);
            """, """
              - name: orders
                namespace: public
                sync_mode: incremental
                cursor_field: [id]
                destination_sync_mode: append_dedup
              - name: prices
                namespace: public
                destination_sync_mode: overwrite
        """);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("""
            alter table orders drop constraint orders_pkey; alter table orders add primary key (id, qty);
            alter table prices alter column amount type text;
            """);
        var job = await h.SyncAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("stream public.orders: primary key changed (id) -> (id,qty)", job.Error);
        Assert.Contains("drop or rename the destination table and reset the stream", job.Error);
        Assert.DoesNotContain("prices", job.Error);
        var changes = await h.ChangesAsync();
        Assert.Contains(changes, c => c.Change.Kind == SchemaChangeKind.PrimaryKeyChanged && c.Action == SchemaChangeAction.Paused);
        Assert.Contains(changes, c => c.Change.Stream.Name == "prices" && c.Message.StartsWith("not handled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_overwrite_stream_takes_a_type_change_that_is_no_widening_by_rebuilding_its_table()
    {
        await using var h = await EvolutionHarness.StartAsync("postgres", "propagate_columns",
            "create table prices(id integer primary key, amount integer); insert into prices values (1, 5);", """
              - name: prices
                namespace: public
                destination_sync_mode: overwrite
        """);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("alter table prices alter column amount type text; update prices set amount = 'five';");
        var job = await h.SyncAsync();

        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        Assert.Equal("five", await h.ScalarAsync("select amount from {t}prices"));
        Assert.Equal("text", await h.ColumnTypeAsync("prices", "amount"));
        Assert.Equal(SchemaChangeAction.Applied, Assert.Single(await h.ChangesAsync()).Action);
    }

    [Theory]
    [InlineData("propagate_all")]
    [InlineData("propagate_columns")]
    public async Task New_and_removed_streams_are_added_and_removed_only_under_propagate_all(string policy)
    {
        await using var h = await EvolutionHarness.StartAsync("postgres", policy, """
            create table orders(id integer primary key, qty integer); insert into orders values (1, 10);
            create table old_orders(id integer primary key); insert into old_orders values (1);
            """, """
              - name: orders
                namespace: public
                destination_sync_mode: overwrite
              - name: old_orders
                namespace: public
                destination_sync_mode: overwrite
        """);
        Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status);

        await h.SourceAsync("create table refunds(id integer primary key, amount integer); insert into refunds values (1, 7); drop table old_orders;");
        var job = await h.SyncAsync();

        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        var changes = await h.ChangesAsync();
        var added = Assert.Single(changes, c => c.Change.Kind == SchemaChangeKind.StreamAdded);
        var removed = Assert.Single(changes, c => c.Change.Kind == SchemaChangeKind.StreamRemoved);
        var streams = (await h.ConnectionAsync()).Catalog.Streams.Select(s => s.Descriptor.Name).ToList();
        Assert.Equal("1", await h.ScalarAsync("select count(*) from {t}old_orders")); // the destination table is kept either way
        if (policy == "propagate_all")
        {
            Assert.Equal((SchemaChangeAction.Applied, SchemaChangeAction.Applied), (added.Action, removed.Action));
            Assert.Equal(["orders", "refunds"], streams.Order());
            Assert.Equal("7", await h.ScalarAsync("select amount from {t}refunds"));
        }
        else
        {
            Assert.Equal((SchemaChangeAction.Ignored, SchemaChangeAction.Ignored), (added.Action, removed.Action));
            Assert.Equal(["old_orders", "orders"], streams.Order());
            Assert.Null(await h.ColumnTypeAsync("refunds", "amount"));
            Assert.Equal(JobStatus.Succeeded, (await h.SyncAsync()).Status); // still skipped, not recorded again
            Assert.Equal(changes.Count, (await h.ChangesAsync()).Count);
        }
    }
}
