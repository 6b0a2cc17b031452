using System.Text.Json.Nodes;
using Sluice.Connectors.Postgres;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Postgres;

/// <summary>
/// A full refresh of a table without a primary key reads it in ctid (heap page) ranges: a checkpoint after each, one by
/// time inside a range, a resumed read that yields every row exactly once (compared as multisets: the table holds exact
/// duplicate rows), and a table rewritten (VACUUM FULL) between or during reads starts again instead of resuming.
/// </summary>
public sealed class PostgresCtidRangeTests
{
    /// <summary>12,000 rows, ids 0-2,999 twice (the same id and note: exact duplicates), about 110 pages.</summary>
    private const string Setup = """
        CREATE TABLE kl (id BIGINT NOT NULL, note TEXT NOT NULL);
        INSERT INTO kl SELECT g % 9000, md5((g % 9000)::text) FROM generate_series(1, 12000) g;
        ANALYZE kl;
        """;

    [Fact]
    public async Task Reads_a_keyless_table_in_page_ranges_and_resumes_from_each_checkpoint_exactly()
    {
        var db = await PostgresTestDb.CreateAsync("ctid", Setup);
        var config = db.Config();
        config["checkpoint_rows"] = 1000;
        var table = Sorted(await db.RowsAsync("SELECT id, note FROM kl"));
        var relfilenode = await db.ScalarAsync<long>("SELECT relfilenode::int8 FROM pg_class WHERE relname = 'kl'");
        var append = await CatalogAsync(db, DestinationSyncMode.Append);

        var whole = await ReadAsync(config, append, SyncState.Empty);
        Assert.Equal(table, Sorted(Rows(whole)));
        var checkpoints = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).ToList();
        Assert.True(checkpoints[^1].Data["completed"]!.GetValue<bool>());
        var ranges = checkpoints[..^1];
        // About 1,000 rows per range by the statistics: pages of about 110 rows, so ranges of 10 pages.
        Assert.InRange(ranges.Count, 8, 14);
        var pages = ranges.Select(c => long.Parse(c.Data["from_ctid"]!.GetValue<string>().Trim('(', ')').Split(',')[0])).ToList();
        Assert.All(ranges, c => Assert.EndsWith(",0)", c.Data["from_ctid"]!.GetValue<string>()));
        Assert.All(ranges, c => Assert.Equal(relfilenode, c.Data["relfilenode"]!.GetValue<long>()));
        Assert.Equal(pages.Order(), pages);
        Assert.All(pages.Zip(pages.Skip(1)), p => Assert.Equal(pages[0], p.Second - p.First));

        for (var i = 0; i < ranges.Count; i++)
        {
            var before = RowsBefore(whole, ranges[i]);
            Assert.InRange(before.Count, 800 * (i + 1), 1300 * (i + 1));
            var resumed = await ReadAsync(config, append, SyncState.Empty.With(ranges[i]));
            // The same rows in the same (physical) order, and nothing read twice or lost as a multiset.
            Assert.Equal(Rows(whole).Skip(before.Count), Rows(resumed));
            Assert.Equal(table, Sorted(before.Concat(Rows(resumed))));
        }

        // An overwrite destination rebuilds from scratch: a range checkpoint does not make it skip rows.
        var overwrite = await CatalogAsync(db, DestinationSyncMode.Overwrite);
        Assert.Equal(table, Sorted(Rows(await ReadAsync(config, overwrite, SyncState.Empty.With(ranges[3])))));

        // Rows appended while the read runs land after the pages counted at its start: the last range is open-ended.
        var grown = new List<SourceMessage>();
        await foreach (var message in new PostgresConnector().ReadAsync(config, append, SyncState.Empty, CancellationToken.None))
        {
            grown.Add(message);
            if (message is CheckpointMessage && grown.OfType<CheckpointMessage>().Count() == 1)
                await db.ExecuteAsync("INSERT INTO kl SELECT g, 'late' FROM generate_series(1, 3000) g");
        }
        Assert.Equal(3000, Rows(grown).Count(r => r.EndsWith("|late", StringComparison.Ordinal)));
        Assert.Equal(table, Sorted(Rows(grown).Where(r => !r.EndsWith("|late", StringComparison.Ordinal))));
    }

    /// <summary>
    /// VACUUM FULL moves rows to other ctids in a new file: a state taken on the old file must not be resumed (its page
    /// would skip or repeat rows), so the read starts the table again and yields each row once.
    /// </summary>
    [Fact]
    public async Task A_table_rewritten_between_attempts_is_read_again_from_its_start()
    {
        var db = await PostgresTestDb.CreateAsync("ctidvac", Setup);
        var config = db.Config();
        config["checkpoint_rows"] = 1000;
        var append = await CatalogAsync(db, DestinationSyncMode.Append);
        var whole = await ReadAsync(config, append, SyncState.Empty);
        var checkpoint = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).ElementAt(4);

        // Deleting every third row and compacting moves the rows of later pages into earlier ones.
        await db.ExecuteAsync("DELETE FROM kl WHERE id % 3 = 0");
        await db.ExecuteAsync("VACUUM FULL kl");
        var table = Sorted(await db.RowsAsync("SELECT id, note FROM kl"));
        var resumed = await ReadAsync(config, append, SyncState.Empty.With(checkpoint));
        Assert.Equal(table, Sorted(Rows(resumed)));
        var node = await db.ScalarAsync<long>("SELECT relfilenode::int8 FROM pg_class WHERE relname = 'kl'");
        Assert.NotEqual(checkpoint.Data["relfilenode"]!.GetValue<long>(), node);
        Assert.All(resumed.OfType<CheckpointMessage>().SkipLast(1), c => Assert.Equal(node, c.Checkpoint.Data["relfilenode"]!.GetValue<long>()));
    }

    /// <summary>
    /// A VACUUM FULL that comes between two ranges of one read (it waits for the range's lock, then runs before the
    /// next range) fails the read rather than continuing on the new file.
    /// </summary>
    [Fact]
    public async Task A_table_rewritten_during_a_read_fails_it()
    {
        var db = await PostgresTestDb.CreateAsync("ctidvacrun", Setup);
        var config = db.Config();
        config["checkpoint_rows"] = 1000;
        var append = await CatalogAsync(db, DestinationSyncMode.Append);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            Task? vacuum = null;
            try
            {
                await foreach (var message in new PostgresConnector().ReadAsync(config, append, SyncState.Empty, CancellationToken.None))
                    if (message is RecordBatchMessage && vacuum is null)
                    {
                        // The first range is read and its lock released: the rewrite runs (or waits) before the next range starts.
                        vacuum = db.ExecuteAsync("VACUUM FULL kl");
                        await WaitUntilAsync(async () => vacuum.IsCompleted || await db.ScalarAsync<long>(
                            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'VACUUM FULL%'") == 1);
                    }
            }
            finally
            {
                if (vacuum is not null)
                    await vacuum;
            }
        });
        Assert.Contains("rewritten while it was read", error.Message);
    }

    /// <summary>
    /// One range (checkpoint_rows above the table), a small checkpoint_seconds and a consumer slower than it over the
    /// first batches: checkpoints come by time inside the range, at a row's ctid, and a read resumed from one yields
    /// exactly the rows after it.
    /// </summary>
    [Fact]
    public async Task Checkpoints_by_time_inside_a_page_range_resume_exactly()
    {
        var db = await PostgresTestDb.CreateAsync("ctidtime", """
            CREATE TABLE kt (id BIGINT NOT NULL, n INTEGER NOT NULL);
            INSERT INTO kt SELECT g % 70000, g % 7 FROM generate_series(1, 100000) g;
            """);
        var config = db.Config();
        config["checkpoint_rows"] = 100_000_000;
        config["checkpoint_seconds"] = 0.2;
        var append = await CatalogAsync(db, DestinationSyncMode.Append, "kt");
        var table = Sorted(await db.RowsAsync("SELECT id, n FROM kt"));

        var whole = await ReadAsync(config, append, SyncState.Empty, slowBatches: 6, pause: TimeSpan.FromMilliseconds(400));
        var byTime = whole.OfType<CheckpointMessage>().Select(c => c.Checkpoint).Where(c => c.Data["from_ctid"] is not null).ToList();
        Assert.True(byTime.Count >= 2, $"{byTime.Count} checkpoints by time");
        Assert.Equal(table, Sorted(Rows(whole)));
        foreach (var checkpoint in byTime.Take(3))
        {
            var before = RowsBefore(whole, checkpoint);
            Assert.InRange(before.Count, 1, 99_999);
            var resumed = await ReadAsync(config, append, SyncState.Empty.With(checkpoint));
            Assert.Equal(Rows(whole).Skip(before.Count), Rows(resumed));
            Assert.Equal(table, Sorted(before.Concat(Rows(resumed))));
        }
    }

    private static async Task<ConfiguredCatalog> CatalogAsync(PostgresTestDb db, DestinationSyncMode mode, string stream = "kl")
    {
        var catalog = await db.CatalogAsync(mode, null, stream);
        Assert.Empty(catalog.Streams[0].Stream.PrimaryKey);
        return new ConfiguredCatalog([catalog.Streams[0] with { SyncMode = SyncMode.FullRefresh, PrimaryKey = [] }]);
    }

    private static async Task<List<SourceMessage>> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        int slowBatches = 0, TimeSpan pause = default)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in new PostgresConnector().ReadAsync(config, catalog, state, CancellationToken.None))
        {
            messages.Add(message);
            if (message is RecordBatchMessage && slowBatches-- > 0)
                await Task.Delay(pause);
        }
        return messages;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
            await Task.Delay(50);
    }

    private static List<string> RowsBefore(List<SourceMessage> messages, Checkpoint checkpoint) =>
        Rows(messages.TakeWhile(m => m is not CheckpointMessage c || c.Checkpoint != checkpoint));

    /// <summary>Each row as "id|second column", in the order read.</summary>
    private static List<string> Rows(IEnumerable<SourceMessage> messages) =>
        messages.OfType<RecordBatchMessage>()
            .SelectMany(b => Enumerable.Range(0, b.Batch.Length).Select(i => $"{ArrowValues.ToText(b.Batch.Column(0), i)}|{ArrowValues.ToText(b.Batch.Column(1), i)}"))
            .ToList();

    private static List<string> Sorted(IEnumerable<string> rows) => rows.Order(StringComparer.Ordinal).ToList();
}
