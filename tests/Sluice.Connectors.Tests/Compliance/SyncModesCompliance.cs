using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// The sync modes of a transactional SQL destination (docs/sync-modes.md), asserted the same way for each: deduped
/// modes keep the latest row per composite key by cursor whatever the arrival order, overwrite is all-or-nothing,
/// and each checkpoint is committed in <c>_sluice_state</c> with exactly the rows it covers.
/// </summary>
public abstract class SyncModesCompliance : DestinationCompliance
{
    private static readonly ColumnSchema[] VersionedColumns =
    [
        new("k1", LogicalType.Int64, Nullable: false),
        new("k2", LogicalType.String, Nullable: false),
        new("updated", LogicalType.Int64),
        new("v", LogicalType.String),
    ];

    private static SampleTable Versioned(string name, params object?[][] rows) => new(name, VersionedColumns, rows);

    private static ConfiguredCatalog VersionedCatalog(string name, DestinationSyncMode mode) => new([new ConfiguredStream
    {
        Stream = Versioned(name).Schema with { PrimaryKey = [["k1"], ["k2"]] },
        SyncMode = SyncMode.Incremental,
        DestinationSyncMode = mode,
        CursorField = ["updated"],
        PrimaryKey = [["k1"], ["k2"]],
    }]);

    /// <summary>Each inner array is one batch followed by its checkpoint (numbered from 1).</summary>
    private Task<List<Checkpoint>> WriteBatchesAsync(string name, DestinationSyncMode mode, params object?[][][] batches) =>
        WriteAsync(VersionedCatalog(name, mode), MessageStreams.Stream(new StreamDescriptor(name), batches.Select(b => Versioned(name, b).ToBatch())));

    private async Task<Dictionary<string, (string? Updated, string? V)>> VersionsAsync(string name)
    {
        var written = await ReadBackAsync(Config, VersionedCatalog(name, DestinationSyncMode.Append).Streams[0]);
        Assert.NotNull(written);
        var result = new Dictionary<string, (string?, string?)>();
        foreach (var row in written.Rows)
        {
            var key = ValueCanon.Of(LogicalType.Int64, row["k1"]) + "/" + ValueCanon.Of(LogicalType.String, row["k2"]);
            Assert.True(result.TryAdd(key, (ValueCanon.Of(LogicalType.Int64, row["updated"]), ValueCanon.Of(LogicalType.String, row["v"]))), $"key {key} is in the table twice");
        }
        return result;
    }

    [Fact]
    public async Task Append_dedup_keeps_the_latest_row_per_composite_key_by_cursor_whatever_the_arrival_order()
    {
        await WriteBatchesAsync("dedup",  DestinationSyncMode.AppendDedup,
            [[1L, "a", 5L, "a5"], [1L, "b", 1L, "b1"], [1L, "a", 3L, "a3 read after a5"]],
            [[2L, "a", 1L, "2a1"], [1L, "a", 5L, "a5 again, read last"]]);
        Assert.Equal(new Dictionary<string, (string?, string?)>
        {
            ["1/a"] = ("5", "a5 again, read last"),
            ["1/b"] = ("1", "b1"),
            ["2/a"] = ("1", "2a1"),
        }, await VersionsAsync("dedup"));

        // A later sync: an older version of 1/a must not replace the newer one already there.
        await WriteBatchesAsync("dedup", DestinationSyncMode.AppendDedup, [[1L, "a", 4L, "a4 late"], [1L, "b", 2L, "b2"], [3L, "a", 9L, "3a9"]]);
        Assert.Equal(new Dictionary<string, (string?, string?)>
        {
            ["1/a"] = ("5", "a5 again, read last"),
            ["1/b"] = ("2", "b2"),
            ["2/a"] = ("1", "2a1"),
            ["3/a"] = ("9", "3a9"),
        }, await VersionsAsync("dedup"));
    }

    [Fact]
    public async Task Overwrite_dedup_replaces_the_table_with_one_latest_row_per_key()
    {
        await WriteBatchesAsync("odedup", DestinationSyncMode.OverwriteDedup, [[9L, "z", 1L, "gone after the next sync"]]);
        await WriteBatchesAsync("odedup", DestinationSyncMode.OverwriteDedup,
            [[1L, "a", 2L, "a2"], [1L, "a", 1L, "a1"]],
            [[1L, "b", 1L, "b1"], [1L, "a", 3L, "a3"], [1L, "b", 0L, "b0"]]);

        Assert.Equal(new Dictionary<string, (string?, string?)>
        {
            ["1/a"] = ("3", "a3"),
            ["1/b"] = ("1", "b1"),
        }, await VersionsAsync("odedup"));
    }

    [Fact]
    public async Task A_failed_overwrite_keeps_the_old_table_and_releases_no_checkpoint()
    {
        var old = SampleBatches.Simple("kept", 1, 2);
        await WriteAsync(old, DestinationSyncMode.Overwrite);
        var next = SampleBatches.Simple("kept", 10, 5);
        var released = new List<Checkpoint>();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await WriteAsync(next.Catalog(), MessageStreams.Stream(next, rowsPerBatch: 2).Take(4).Concat(Fail()), c => { released.Add(c); return Task.CompletedTask; }));

        Assert.Empty(released);
        AssertRows(old, await ReadBackAsync(Config, old.Configure()));
    }

    [Fact]
    public async Task Readers_see_the_whole_old_table_until_an_overwrite_swaps_in_the_new_one()
    {
        var old = SampleBatches.Simple("swapped", 1, 3);
        await WriteAsync(old, DestinationSyncMode.Overwrite);
        var next = SampleBatches.Simple("swapped", 10, 6);
        var seen = new List<int>();

        // Each time the destination asks for its next message it has written everything before it: a reader then
        // must still find the old table, whole (never an empty or half-loaded one).
        IEnumerable<SourceMessage> Watched()
        {
            foreach (var message in MessageStreams.Stream(next, rowsPerBatch: 2))
            {
                seen.Add(ReadBackAsync(Config, old.Configure()).GetAwaiter().GetResult()?.Rows.Count ?? -1);
                yield return message;
            }
        }
        await WriteAsync(next.Catalog(), Watched());

        Assert.Equal(MessageStreams.Stream(next, rowsPerBatch: 2).Count, seen.Count);
        Assert.All(seen, rows => Assert.Equal(old.Rows.Count, rows));
        AssertRows(next, await ReadBackAsync(Config, next.Configure()));
    }

    [Fact]
    public async Task Each_checkpoint_is_committed_in_the_state_table_with_exactly_its_rows()
    {
        var table = SampleBatches.Simple("stateful", 1, 6);
        var stream = table.Configure(DestinationSyncMode.Append);
        // Two batches and their checkpoints, then a third batch and the source fails before its checkpoint.
        var messages = MessageStreams.Stream(table, rowsPerBatch: 2).Take(6).Concat(Fail());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await WriteAsync(table.Catalog(DestinationSyncMode.Append), messages));

        AssertRows(table.WithRows(table.Rows.Take(4).ToList()), await ReadBackAsync(Config, stream));
        var committed = await ((ICommittedStateDestination)CreateDestination()).ReadCommittedStateAsync(Config, table.Catalog(DestinationSyncMode.Append), CancellationToken.None);
        Assert.Equal(Context.SyncId, committed[table.Descriptor].SyncId);
        Assert.Equal(2, committed[table.Descriptor].State["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sluice_metadata_columns_coming_from_the_source_are_replaced_not_doubled()
    {
        var table = new SampleTable("reloaded",
            [new ColumnSchema("id", LogicalType.Int64, Nullable: false), new ColumnSchema(WriteContext.ExtractedAtColumn, LogicalType.TimestampTz), new ColumnSchema(WriteContext.SyncIdColumn, LogicalType.Int64)],
            [[1L, DateTimeOffset.UnixEpoch, 7L], [2L, DateTimeOffset.UnixEpoch, 7L]]);
        foreach (var mode in new[] { DestinationSyncMode.Overwrite, DestinationSyncMode.AppendDedup, DestinationSyncMode.AppendDedup, DestinationSyncMode.OverwriteDedup })
            await WriteAsync(table, mode);

        var written = await ReadBackAsync(Config, table.Configure());
        Assert.NotNull(written);
        Assert.Equal(3, written.Columns.Count);
        Assert.Equal(2, written.Rows.Count);
        Assert.All(written.Rows, row => Assert.Equal(Context.SyncId.ToString(System.Globalization.CultureInfo.InvariantCulture), ValueCanon.Of(LogicalType.Int64, row[WriteContext.SyncIdColumn])));
    }

    private static IEnumerable<SourceMessage> Fail()
    {
        throw new InvalidOperationException("source failed");
#pragma warning disable CS0162 // makes this an iterator that fails when enumerated
        yield break;
#pragma warning restore CS0162
    }
}
