using Sluice.Core.Catalog;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Core.Types;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    private static StreamSchema Snapshot(string name, params ColumnSchema[] columns) => new()
    {
        Descriptor = new StreamDescriptor(name, "public"),
        Columns = columns,
        PrimaryKey = [["id"]],
        EstimatedRows = 1234,
    };

    private static SchemaChangeRecord Change(Connection connection, long? jobId, SchemaChangeKind kind, string? column, SchemaChangeAction action, string message) => new()
    {
        ConnectionId = connection.Id,
        JobId = jobId,
        Change = new SchemaChange(new StreamDescriptor("orders", "public"), kind, column, kind == SchemaChangeKind.ColumnAdded ? null : "int32", "int64"),
        Action = action,
        Message = message,
    };

    [Fact]
    public async Task A_schema_snapshot_round_trips_types_and_keys_and_forgets_streams_left_out()
    {
        var connection = await ConnectionAsync();
        Assert.Empty(await Store.Schemas.GetSnapshotAsync(connection.Id));
        var orders = Snapshot("orders", new ColumnSchema("id", LogicalType.Int64, false, "int8"), new ColumnSchema("amount", LogicalType.Decimal(12, 2)),
            new ColumnSchema("tags", LogicalType.ArrayOf(LogicalType.String)));
        var customers = Snapshot("customers", new ColumnSchema("id", LogicalType.Int32));

        await Store.Schemas.CommitAsync(new SchemaCommit(connection, null, [orders, customers], []));
        var first = await Store.Schemas.GetSnapshotAsync(connection.Id);
        await Store.Schemas.CommitAsync(new SchemaCommit(connection, null, [orders], []));
        var second = await Store.Schemas.GetSnapshotAsync(connection.Id);

        Assert.Equal(2, first.Count);
        var stored = first[orders.Descriptor];
        Assert.Equal(orders.Columns, stored.Columns);
        Assert.Equal("id", stored.PrimaryKey[0][0]);
        Assert.Null(stored.EstimatedRows); // row counts change every discovery and are no part of the schema
        Assert.Equal([orders.Descriptor], second.Keys);
    }

    [Fact]
    public async Task A_schema_commit_updates_the_connection_and_appends_records_in_one_transaction()
    {
        var connection = await ConnectionAsync();
        var paused = connection with { Status = ConnectionStatus.Active, SchemaChangePolicy = SchemaChangePolicy.Pause };
        var (stored, records) = await Store.Schemas.CommitAsync(new SchemaCommit(connection, paused, null,
        [
            Change(connection, 7, SchemaChangeKind.ColumnTypeChanged, "id", SchemaChangeAction.Paused, "narrowing: reset the stream"),
            Change(connection, 7, SchemaChangeKind.ColumnAdded, "note", SchemaChangeAction.Paused, "not handled"),
        ]));

        Assert.Equal(connection.Version + 1, stored.Version);
        Assert.Equal(SchemaChangePolicy.Pause, (await Store.Connections.GetAsync(connection.Id))!.SchemaChangePolicy);
        Assert.All(records, r => Assert.True(r.Id > 0));
        Assert.All(records, r => Assert.Equal(Now, r.At));
        var listed = await Store.Schemas.ListChangesAsync(connection.Id, 10);
        Assert.Equal(records.Select(r => r.Id).Reverse(), listed.Select(r => r.Id));
        Assert.Equal(records[0], listed[1]);

        // A stale version refuses the whole commit: no record is added either.
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.Schemas.CommitAsync(new SchemaCommit(connection, paused, null,
            [Change(connection, 8, SchemaChangeKind.ColumnRemoved, "x", SchemaChangeAction.Applied, "gone")])));
        Assert.Equal(2, (await Store.Schemas.ListChangesAsync(connection.Id, 10)).Count);
    }

    [Fact]
    public async Task Schema_changes_page_newest_first_and_go_with_their_connection()
    {
        var connection = await ConnectionAsync();
        for (var i = 0; i < 5; i++)
            await Store.Schemas.CommitAsync(new SchemaCommit(connection, null, null,
                [Change(connection, i, SchemaChangeKind.ColumnAdded, $"c{i}", SchemaChangeAction.Applied, "added")]));

        var page1 = await Store.Schemas.ListChangesAsync(connection.Id, 2);
        var page2 = await Store.Schemas.ListChangesAsync(connection.Id, 2, page1[^1].Id);

        Assert.Equal(["c4", "c3"], page1.Select(r => r.Change.Column));
        Assert.Equal(["c2", "c1"], page2.Select(r => r.Change.Column));
        Assert.Equal(SchemaChangeKind.ColumnAdded, page1[0].Change.Kind);
        Assert.Null(page1[0].Change.OldType);
        await Store.Connections.DeleteAsync(connection.Id);
        Assert.Empty(await Store.Schemas.ListChangesAsync(connection.Id, 10));
        Assert.Equal(0, await CountAsync(Store, "SELECT count(*) FROM schema_snapshots"));
    }
}
