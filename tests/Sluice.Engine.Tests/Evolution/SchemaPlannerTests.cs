using Sluice.Core.Catalog;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Core.Types;
using Sluice.Engine.Evolution;

namespace Sluice.Engine.Tests.Evolution;

/// <summary>The policy table of docs/sync-modes.md ("Schema evolution"), decision by decision, without databases.</summary>
public sealed class SchemaPlannerTests
{
    private static readonly StreamDescriptor Orders = new("orders", "public");

    private static StreamSchema Schema(string name, IReadOnlyList<IReadOnlyList<string>>? key = null, params (string Name, string Type)[] columns) => new()
    {
        Descriptor = new StreamDescriptor(name, "public"),
        Columns = columns.Select(c => new ColumnSchema(c.Name, LogicalType.Parse(c.Type))).ToList(),
        PrimaryKey = key ?? [["id"]],
    };

    private static readonly StreamSchema Before = Schema("orders", null, ("id", "int32"), ("qty", "int32"), ("email", "string"));

    private static Connection Connection(SchemaChangePolicy policy, DestinationSyncMode mode = DestinationSyncMode.Append, IReadOnlyList<ColumnMapping>? mappings = null) => new()
    {
        Id = Guid.NewGuid(),
        WorkspaceId = Guid.NewGuid(),
        Name = "items",
        SourceId = Guid.NewGuid(),
        DestinationId = Guid.NewGuid(),
        SchemaChangePolicy = policy,
        Catalog = new ConfiguredCatalog([new ConfiguredStream { Stream = Before, DestinationSyncMode = mode, PrimaryKey = [["id"]], Mappings = mappings ?? [] }]),
    };

    private static SchemaPlan Plan(Connection connection, StreamSchema now, bool accepting = false, params StreamSchema[] others) =>
        new SchemaPlanner(connection, accepting).Plan(new Dictionary<StreamDescriptor, StreamSchema> { [Orders] = Before }, new SourceCatalog([now, .. others]));

    [Fact]
    public void A_rename_is_a_removed_and_an_added_column_and_propagating_it_reads_the_new_name()
    {
        var plan = Plan(Connection(SchemaChangePolicy.PropagateColumns), Schema("orders", null, ("id", "int32"), ("qty", "int32"), ("mail", "string")));

        Assert.Equal([SchemaChangeKind.ColumnRemoved, SchemaChangeKind.ColumnAdded], plan.Changes.Select(c => c.Change.Kind));
        Assert.All(plan.Changes, c => Assert.Equal(SchemaChangeAction.Applied, c.Action));
        Assert.Equal(["id", "qty", "mail"], plan.Catalog.Streams[0].ReadColumns().Select(c => c.Name));
        Assert.Equal(new DestinationChange(Orders, "mail", Widen: false), Assert.Single(plan.DestinationChanges));
    }

    [Fact]
    public void Ignore_leaves_an_added_column_out_and_pause_pauses_for_it()
    {
        var now = Schema("orders", null, ("id", "int32"), ("qty", "int32"), ("email", "string"), ("note", "string"));

        var ignored = Plan(Connection(SchemaChangePolicy.Ignore), now);
        var paused = Plan(Connection(SchemaChangePolicy.Pause), now);

        Assert.Equal(SchemaChangeAction.Ignored, Assert.Single(ignored.Changes).Action);
        Assert.Equal(3, ignored.Catalog.Streams[0].ReadColumns().Count);
        Assert.True(paused.Pauses);
        Assert.Contains("policy pause", paused.Changes[0].Message);
        Assert.Empty(paused.DestinationChanges);
    }

    [Fact]
    public void A_widening_is_applied_to_the_destination_but_a_narrowing_pauses_until_accepted_on_resume()
    {
        var widened = Plan(Connection(SchemaChangePolicy.PropagateColumns), Schema("orders", null, ("id", "int32"), ("qty", "int64"), ("email", "string")));
        var narrowed = Schema("orders", null, ("id", "int32"), ("qty", "int16"), ("email", "string"));
        var paused = Plan(Connection(SchemaChangePolicy.PropagateColumns), narrowed);
        var accepted = Plan(Connection(SchemaChangePolicy.PropagateColumns), narrowed, accepting: true);

        Assert.Equal(new DestinationChange(Orders, "qty", Widen: true), Assert.Single(widened.DestinationChanges));
        Assert.True(paused.Pauses);
        Assert.Contains("int32 -> int16 is not a safe widening", paused.Changes[0].Message);
        Assert.False(accepted.Pauses);
        Assert.Empty(accepted.DestinationChanges);
        Assert.Equal("int16", accepted.Catalog.Streams[0].Stream.Column("qty")!.Type.ToString());
    }

    [Fact]
    public void A_hashed_column_that_changes_type_needs_no_destination_change()
    {
        var plan = Plan(Connection(SchemaChangePolicy.PropagateColumns, mappings: [new ColumnMapping("qty", ColumnMappingKind.Hash)]),
            Schema("orders", null, ("id", "int32"), ("qty", "string"), ("email", "string")));

        Assert.False(plan.Pauses);
        Assert.Empty(plan.DestinationChanges);
        Assert.Contains("hashed or masked", plan.Changes[0].Message);
    }

    [Fact]
    public void A_new_stream_is_added_only_by_propagate_all_and_pauses_a_connection_with_policy_pause()
    {
        var refunds = Schema("refunds", null, ("id", "int64"));

        var all = Plan(Connection(SchemaChangePolicy.PropagateAll), Before, false, refunds);
        var columns = Plan(Connection(SchemaChangePolicy.PropagateColumns), Before, false, refunds);
        var pause = Plan(Connection(SchemaChangePolicy.Pause), Before, false, refunds);

        Assert.Equal(["orders", "refunds"], all.Catalog.Streams.Select(s => s.Descriptor.Name));
        Assert.Equal(DestinationSyncMode.Overwrite, all.Catalog.Streams[1].DestinationSyncMode);
        Assert.Equal(SchemaChangeAction.Ignored, Assert.Single(columns.Changes).Action);
        Assert.Single(columns.Catalog.Streams);
        Assert.True(pause.Pauses);
    }

    [Fact]
    public void Nothing_is_reported_on_a_first_check_when_the_source_matches_the_catalog()
    {
        var plan = new SchemaPlanner(Connection(SchemaChangePolicy.Pause), accepting: false)
            .Plan(new Dictionary<StreamDescriptor, StreamSchema>(), new SourceCatalog([Before, Schema("refunds", null, ("id", "int64"))]));

        Assert.Empty(plan.Changes);
        Assert.Single(plan.Catalog.Streams);
    }
}
