using System.Text.Json.Nodes;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// What a SQL source reading in key ranges must do (docs/sync-modes.md): a checkpoint after each range, a read resumed
/// from one of them yields exactly the rows after it, and incremental reads keep rows sharing the last cursor value.
/// The table is <c>t (id BIGINT PRIMARY KEY, n &lt;cursor type&gt; NOT NULL)</c>, created by the caller's SQL.
/// </summary>
internal static class RangedReadChecks
{
    /// <summary>1,000 rows whose cursor n repeats seven at a time, read in ranges of 100, whole and resumed.</summary>
    public static async Task ResumesAfterTheLastRangeAsync(ISource source, JsonObject config, Action<string> execute)
    {
        execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER NOT NULL)");
        execute("INSERT INTO t SELECT i, (i - i % 7) / 7 FROM (WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) SELECT i FROM s) AS g");
        config["checkpoint_rows"] = 100;
        var stream = (await source.DiscoverAsync(config, CancellationToken.None)).Streams.Single(s => s.Name == "t");
        Assert.Contains(SyncMode.Incremental, stream.SupportedSyncModes);
        Assert.Contains("n", stream.CursorCandidates);
        foreach (var incremental in new[] { false, true })
        {
            var configured = Configured(stream, incremental ? SyncMode.Incremental : SyncMode.FullRefresh, DestinationSyncMode.Append);
            var whole = await ReadAsync(source, config, configured, SyncState.Empty);
            var checkpoints = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).ToList();
            Assert.Equal(11, checkpoints.Count); // ten ranges of 100, then the completed state
            Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), Ids(whole).Order());

            var readBefore = whole.TakeWhile(m => m is not CheckpointMessage c || c.Checkpoint != checkpoints[3]).OfType<RecordBatchMessage>().Sum(b => b.Batch.Length);
            Assert.Equal(400, readBefore);
            var resumed = await ReadAsync(source, config, configured, SyncState.Empty.With(checkpoints[3]));
            Assert.Equal(Ids(whole).Skip(400), Ids(resumed));
            Assert.Equal(checkpoints[^1].Data.ToJsonString(), resumed.OfType<CheckpointMessage>().Last().Checkpoint.Data.ToJsonString());
        }

        // An overwrite destination rebuilds from scratch: a range checkpoint does not make it skip rows.
        var overwrite = Configured(stream, SyncMode.FullRefresh, DestinationSyncMode.Overwrite);
        var first = await ReadAsync(source, config, overwrite, SyncState.Empty);
        var again = await ReadAsync(source, config, overwrite, SyncState.Empty.With(first.OfType<CheckpointMessage>().First().Checkpoint));
        Assert.Equal(1000, Ids(again).Count);
    }

    /// <summary>
    /// A row committed after a sync with the cursor value that sync ended at is read by the next one; older rows are
    /// not. <paramref name="values"/> are SQL literals of the cursor type, in increasing order.
    /// </summary>
    public static async Task KeepsRowsTyingWithTheLastCursorAsync(ISource source, JsonObject config, Action<string> execute, string cursorType, string[] values)
    {
        execute($"CREATE TABLE t (id BIGINT PRIMARY KEY, n {cursorType} NOT NULL)");
        execute($"INSERT INTO t VALUES (1, {values[0]}), (2, {values[1]}), (3, {values[1]})");
        var stream = (await source.DiscoverAsync(config, CancellationToken.None)).Streams.Single(s => s.Name == "t");
        var configured = Configured(stream, SyncMode.Incremental, DestinationSyncMode.AppendDedup);

        var first = await ReadAsync(source, config, configured, SyncState.Empty);
        Assert.Equal([1L, 2L, 3L], Ids(first));
        var saved = first.OfType<CheckpointMessage>().Last().Checkpoint;
        Assert.Equal("cursor_based", saved.Data["state_type"]!.GetValue<string>());

        execute($"INSERT INTO t VALUES (4, {values[1]}), (5, {values[2]}), (6, {values[0]})");
        var second = await ReadAsync(source, config, configured, SyncState.Empty.With(saved));
        Assert.Equal([2L, 3L, 4L, 5L], Ids(second));

        var third = await ReadAsync(source, config, configured, SyncState.Empty.With(second.OfType<CheckpointMessage>().Last().Checkpoint));
        Assert.Equal([5L], Ids(third));
    }

    private static ConfiguredCatalog Configured(StreamSchema stream, SyncMode mode, DestinationSyncMode destination) =>
        new([new ConfiguredStream { Stream = stream, SyncMode = mode, DestinationSyncMode = destination, CursorField = mode == SyncMode.Incremental ? ["n"] : [], PrimaryKey = [["id"]] }]);

    private static async Task<List<SourceMessage>> ReadAsync(ISource source, JsonObject config, ConfiguredCatalog catalog, SyncState state)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in source.ReadAsync(config, catalog, state, CancellationToken.None))
            messages.Add(message);
        return messages;
    }

    private static List<long> Ids(IEnumerable<SourceMessage> messages) =>
        messages.OfType<RecordBatchMessage>().SelectMany(b => Enumerable.Range(0, b.Batch.Length).Select(i => long.Parse(ArrowValues.ToText(b.Batch.Column(0), i)!))).ToList();
}
