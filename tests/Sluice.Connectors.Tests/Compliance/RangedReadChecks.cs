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

    /// <summary>
    /// checkpoint_rows far above the table and a small checkpoint_seconds: one range, yet checkpoints come by time
    /// inside it, and a read resumed from one of them yields every row exactly once. The reader is slowed by a consumer
    /// that takes longer than checkpoint_seconds over each of the first batches (the source cannot tell it from a slow
    /// table). Three reads: full refresh by primary key, incremental by (cursor, key), and incremental over a table
    /// without a key, where the cursor repeats seven at a time and a checkpoint may only fall where it changes.
    /// </summary>
    public static async Task CheckpointsByTimeInsideARangeAsync(ISource source, JsonObject config, Action<string> execute, int rows = 100_000)
    {
        foreach (var bad in new JsonNode[] { 0, -1, "soon" })
        {
            var wrong = (JsonObject)config.DeepClone();
            wrong["checkpoint_seconds"] = bad;
            var error = await Assert.ThrowsAnyAsync<ConfigException>(async () => await source.DiscoverAsync(wrong, CancellationToken.None));
            Assert.Contains("checkpoint_seconds", error.Message);
        }
        execute("CREATE TABLE tk (id BIGINT PRIMARY KEY, n INTEGER NOT NULL)");
        // Digits crossed, not a recursive CTE: MariaDB stops recursion at 1,000 iterations by default.
        var digits = Enumerable.Range(0, (int)Math.Ceiling(Math.Log10(rows))).ToList();
        var number = string.Join(" + ", digits.Select(d => $"{Math.Pow(10, d):0} * d{d}.x"));
        execute($"INSERT INTO tk SELECT i, (i - i % 7) / 7 FROM (WITH d(x) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 " +
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) " +
                $"SELECT {number} + 1 AS i FROM {string.Join(", ", digits.Select(d => $"d AS d{d}"))}) AS g WHERE i <= {rows}");
        execute("CREATE TABLE tn (id BIGINT NOT NULL, n INTEGER NOT NULL)");
        execute("INSERT INTO tn SELECT id, n FROM tk");
        execute("CREATE TABLE ts (id BIGINT NOT NULL, s VARCHAR(20) NOT NULL)");
        execute("INSERT INTO ts SELECT id, n FROM tk");
        config["checkpoint_rows"] = 100_000_000;
        var streams = (await source.DiscoverAsync(config, CancellationToken.None)).Streams;
        var reads = new[]
        {
            Configured(streams.Single(s => s.Name == "tk"), SyncMode.FullRefresh, DestinationSyncMode.Append),
            Configured(streams.Single(s => s.Name == "tk"), SyncMode.Incremental, DestinationSyncMode.Append),
            Configured(streams.Single(s => s.Name == "tn"), SyncMode.Incremental, DestinationSyncMode.Append, keyed: false),
        };
        var all = Enumerable.Range(1, rows).Select(i => (long)i).ToList();

        // By default (60 s) such a read has no checkpoint but the last: the ones below come by time.
        var quick = await ReadAsync(source, config, reads[0], SyncState.Empty);
        Assert.Single(quick.OfType<CheckpointMessage>());

        config["checkpoint_seconds"] = 0.2;
        foreach (var read in reads)
        {
            var whole = await ReadAsync(source, config, read, SyncState.Empty, slowBatches: 6, pause: TimeSpan.FromMilliseconds(400));
            var byTime = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).Where(c => c.Data["after"] is not null).ToList();
            Assert.True(byTime.Count >= 2, $"{read.Streams[0].Stream.Name} {read.Streams[0].SyncMode}: {byTime.Count} checkpoints by time");
            Assert.Equal(all, Ids(whole).Order());

            var checkpoint = byTime[1];
            var readBefore = whole.TakeWhile(m => m is not CheckpointMessage c || c.Checkpoint != checkpoint).OfType<RecordBatchMessage>().Sum(b => b.Batch.Length);
            Assert.InRange(readBefore, 1, rows - 1);
            var resumed = await ReadAsync(source, config, read, SyncState.Empty.With(checkpoint));
            Assert.Equal(all, Ids(whole).Take(readBefore).Concat(Ids(resumed)).Order());
            if (read.Streams[0].PrimaryKey.Count > 0)
                Assert.Equal(Ids(whole).Skip(readBefore), Ids(resumed)); // key order: the same rows in the same order
        }

        // A keyless table with a text cursor: its text cannot tell equal values apart under a collation, so no
        // checkpoint comes inside the range, whatever the time; the read is still whole.
        var text = new ConfiguredCatalog([Configured(streams.Single(s => s.Name == "ts"), SyncMode.Incremental, DestinationSyncMode.Append, keyed: false).Streams[0] with { CursorField = ["s"] }]);
        var untimed = await ReadAsync(source, config, text, SyncState.Empty, slowBatches: 3, pause: TimeSpan.FromMilliseconds(400));
        Assert.Single(untimed.OfType<CheckpointMessage>());
        Assert.Equal(all, Ids(untimed).Order());
    }

    /// <summary>A destination the cursor syncs write into, and its rows of a table as "id note", ordered.</summary>
    public sealed record Target(IDestination Connector, JsonObject Config, Func<string, List<string>> Rows);

    /// <summary>
    /// Incremental syncs by a cursor of <paramref name="cursorType"/> (text, uuid...) into <paramref name="into"/> (by default a SQLite database), in
    /// append and append_dedup. <paramref name="values"/> are five SQL literals the source orders v0 &lt; v1a = v1b = v1c
    /// &lt; v2 (the three v1 may differ in bytes where the collation calls them equal). The second sync reads from the
    /// first one's state: rows tying with its last value (one committed after it) are read again, not lost; append keeps
    /// each version, dedup exactly the latest per key.
    /// </summary>
    public static async Task SyncsByCursorAsync(ISource source, JsonObject config, Action<string> execute, string cursorType, string[] values, Target? into = null)
    {
        execute($"CREATE TABLE tc (id BIGINT PRIMARY KEY, n {cursorType} NOT NULL, note VARCHAR(20) NOT NULL)");
        execute($"INSERT INTO tc VALUES (1, {values[0]}, 'a'), (2, {values[1]}, 'b'), (3, {values[2]}, 'c')");
        var stream = (await source.DiscoverAsync(config, CancellationToken.None)).Streams.Single(s => s.Name == "tc");
        Assert.Contains("n", stream.CursorCandidates);
        using var dir = new TempDirectory();
        var sqlite = new JsonObject { ["path"] = dir.Combine("dest.db") };
        into ??= new Target(new Sluice.Connectors.Sqlite.SqliteConnector(), sqlite, table => WrittenRows(sqlite, table));
        var (destination, target) = (into.Connector, into.Config);
        var modes = new[] { DestinationSyncMode.Append, DestinationSyncMode.AppendDedup };
        // Each mode writes its own table (no namespace: every source lands in SQLite's one schema).
        var writes = modes.Select(mode => new ConfiguredCatalog([new ConfiguredStream
        {
            Stream = stream with { Descriptor = new StreamDescriptor($"tc_{mode}".ToLowerInvariant(), null) },
            SyncMode = SyncMode.Incremental, DestinationSyncMode = mode, CursorField = ["n"], PrimaryKey = [["id"]],
        }])).ToList();
        var reads = writes.Select(w => new ConfiguredCatalog([w.Streams[0] with { Stream = stream }])).ToList();

        var saved = new List<Checkpoint>();
        for (var i = 0; i < modes.Length; i++)
            saved.Add(await SyncAsync(source, config, reads[i], destination, target, writes[i], SyncState.Empty) ?? throw new InvalidOperationException("no state"));
        execute($"INSERT INTO tc VALUES (4, {values[3]}, 'd'), (5, {values[4]}, 'e')");
        execute($"UPDATE tc SET n = {values[4]}, note = 'a2' WHERE id = 1");
        for (var i = 0; i < modes.Length; i++)
            await SyncAsync(source, config, reads[i], destination, target, writes[i], SyncState.Empty.With(new Checkpoint(stream.Descriptor, saved[i].Data)));

        // Append keeps every version, and the rows tying with the first sync's last value once more; dedup the latest per key.
        Assert.Equal(["1 a", "1 a2", "2 b", "2 b", "3 c", "3 c", "4 d", "5 e"], into.Rows(writes[0].Streams[0].Stream.Name));
        Assert.Equal(["1 a2", "2 b", "3 c", "4 d", "5 e"], into.Rows(writes[1].Streams[0].Stream.Name));
    }

    private static async Task<Checkpoint?> SyncAsync(ISource source, JsonObject sourceConfig, ConfiguredCatalog readCatalog,
        IDestination destination, JsonObject destinationConfig, ConfiguredCatalog writeCatalog, SyncState state)
    {
        var written = writeCatalog.Streams[0].Stream.Descriptor;
        async IAsyncEnumerable<SourceMessage> Renamed()
        {
            await foreach (var message in source.ReadAsync(sourceConfig, readCatalog, state, CancellationToken.None))
                yield return message switch
                {
                    RecordBatchMessage b => new RecordBatchMessage(written, b.Batch),
                    CheckpointMessage c => new CheckpointMessage(new Checkpoint(written, c.Checkpoint.Data)),
                    StreamStatusMessage s => new StreamStatusMessage(written, s.Status),
                    _ => message,
                };
        }
        Checkpoint? last = null;
        var context = new WriteContext(1, DateTimeOffset.UtcNow);
        await foreach (var checkpoint in destination.WriteAsync(destinationConfig, writeCatalog, Renamed(), context, CancellationToken.None))
            last = checkpoint;
        return last;
    }

    private static List<string> WrittenRows(JsonObject config, string table)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={config["path"]!.GetValue<string>()};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, note FROM \"{table}\" ORDER BY id, note";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)}");
        return rows;
    }

    private static ConfiguredCatalog Configured(StreamSchema stream, SyncMode mode, DestinationSyncMode destination, bool keyed = true) =>
        new([new ConfiguredStream { Stream = stream, SyncMode = mode, DestinationSyncMode = destination, CursorField = mode == SyncMode.Incremental ? ["n"] : [], PrimaryKey = keyed ? [["id"]] : [] }]);

    /// <param name="slowBatches">How many of the first record batches the consumer takes <paramref name="pause"/> over.</param>
    private static async Task<List<SourceMessage>> ReadAsync(ISource source, JsonObject config, ConfiguredCatalog catalog, SyncState state,
        int slowBatches = 0, TimeSpan pause = default)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in source.ReadAsync(config, catalog, state, CancellationToken.None))
        {
            messages.Add(message);
            if (message is RecordBatchMessage && slowBatches-- > 0)
                await Task.Delay(pause);
        }
        return messages;
    }

    private static List<long> Ids(IEnumerable<SourceMessage> messages) =>
        messages.OfType<RecordBatchMessage>().SelectMany(b => Enumerable.Range(0, b.Batch.Length).Select(i => long.Parse(ArrowValues.ToText(b.Batch.Column(0), i)!))).ToList();
}
