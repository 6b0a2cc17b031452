using System.Diagnostics;
using Sluice.Engine.Pipeline;
using Xunit.Abstractions;
using static Sluice.Faults.Tests.KillAt;

namespace Sluice.Faults.Tests;

/// <summary>
/// kill -9 of a running `sluice sync` at 20 chosen points per mode and destination (PostgreSQL, MariaDB, SQLite,
/// DuckDB; the source is PostgreSQL, and MariaDB for one mode), each killed sync followed by the next one, which resumes and is killed again:
/// before, during and after the destination's commits, the metadata store's save after them, table creation and the
/// overwrite swap. The process kills itself where told (<see cref="KillPoint"/>, a real SIGKILL), so every point
/// lands where it should and none is wasted. After every kill the destination must hold exactly what its committed
/// state says (append modes: the rows up to the last committed range, once each; overwrite: no table, or the whole
/// table), and each chain ends with exactly the source. SLUICE_SOAK=1 runs a bigger table and more points.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private static readonly bool Soak = Environment.GetEnvironmentVariable("SLUICE_SOAK") == "1";
    private const int Ranges = 20;
    private static int Rows => Soak ? 100_000 : 2_000;
    private static int RangeRows => Rows / Ranges;

    public static TheoryData<string, string, DbEngine> Modes()
    {
        var modes = new TheoryData<string, string, DbEngine>();
        foreach (var destination in new[] { DbEngine.Postgres, DbEngine.MariaDb, DbEngine.Sqlite, DbEngine.DuckDb })
        {
            modes.Add("full_refresh", "overwrite", destination);
            modes.Add("full_refresh", "append", destination);
            modes.Add("incremental", "append", destination);
            modes.Add("incremental", "append_dedup", destination);
            modes.Add("full_refresh", "overwrite_dedup", destination);
        }
        return modes;
    }

    /// <summary>
    /// Modes that commit each range: chained kills around the first commits, then points counted back from the last
    /// checkpoint (the last range's commit, the final checkpoint's, its save), then whole syncs killed at their end.
    /// </summary>
    private static readonly KillAt[] RangePoints =
    [
        At(KillEvent.Started, 1), At(KillEvent.Started, 1, 3), At(KillEvent.Checkpoint, 1), At(KillEvent.Checkpoint, 1, 2),
        At(KillEvent.Committed, 1), At(KillEvent.Saved, 1), At(KillEvent.Checkpoint, 3, 1), At(KillEvent.Committed, 2),
        At(KillEvent.Checkpoint, 2, 5), At(KillEvent.Saved, 3),
        End(KillEvent.Checkpoint, 1), End(KillEvent.Checkpoint, 1, 3), End(KillEvent.Committed, 1), End(KillEvent.Checkpoint, 0),
        End(KillEvent.Checkpoint, 0, 2), End(KillEvent.Committed, 0), End(KillEvent.Saved, 0), At(KillEvent.Complete, 1),
        At(KillEvent.Complete, 1, 5), End(KillEvent.Saved, 1),
    ];

    /// <summary>
    /// Overwrite modes start again at each sync: kills while the staging table fills, at and during the swap, after it;
    /// the last six over a whole previous copy, which must stay whole.
    /// </summary>
    private static readonly KillAt[] OverwritePoints =
    [
        At(KillEvent.Started, 1), At(KillEvent.Started, 1, 2), At(KillEvent.Checkpoint, 1), At(KillEvent.Checkpoint, 5, 1),
        At(KillEvent.Checkpoint, 12), End(KillEvent.Checkpoint, 0), At(KillEvent.Complete, 1), At(KillEvent.Complete, 1, 2),
        At(KillEvent.Complete, 1, 8), At(KillEvent.Complete, 1, 25), At(KillEvent.Complete, 1, 60), At(KillEvent.Committed, 1),
        At(KillEvent.Saved, 1), At(KillEvent.Checkpoint, 8, 2),
        At(KillEvent.Checkpoint, 16), At(KillEvent.Complete, 1), At(KillEvent.Complete, 1, 4), At(KillEvent.Complete, 1, 15),
        At(KillEvent.Committed, 1), At(KillEvent.Complete, 1, 40),
    ];
    private const int OverwriteOverCopyFrom = 14;

    [Theory]
    [MemberData(nameof(Modes))]
    public Task Killed_syncs_resume_to_exactly_the_source(string syncMode, string destinationSyncMode, DbEngine destination) =>
        KillLoopAsync(syncMode, destinationSyncMode, DbEngine.Postgres, destination);

    /// <summary>
    /// The MySQL source reads its key ranges and cursors with its own queries: one loop of the cursor mode with exact
    /// checks (incremental append) from MariaDB, so a range boundary it got wrong shows as a lost or doubled row.
    /// </summary>
    [Fact]
    public Task Killed_incremental_syncs_from_MariaDB_resume_to_exactly_the_source() =>
        KillLoopAsync("incremental", "append", DbEngine.MariaDb, DbEngine.Postgres);

    private async Task KillLoopAsync(string syncMode, string destinationSyncMode, DbEngine source, DbEngine destination)
    {
        var scenario = await SyncScenario.CreateAsync(destinationSyncMode.Replace("_", ""), Rows, syncMode, destinationSyncMode, checkpointRows: RangeRows,
            sourceEngine: source, destinationEngine: destination);
        var expected = await scenario.SourceDigestAsync();
        var overwrite = destinationSyncMode.StartsWith("overwrite", StringComparison.Ordinal);
        var label = $"{syncMode}/{destinationSyncMode} from {source} into {destination}";

        // PostgreSQL to PostgreSQL overwrite is one binary COPY inside the swap's transaction (no checkpoint passes
        // through the engine): stepped delays across a whole sync, then the commit and the save. Only delays need
        // a whole sync's time first; the deterministic points start from the empty destination.
        var direct = source == DbEngine.Postgres && destination == DbEngine.Postgres && destinationSyncMode == "overwrite";
        var clock = Stopwatch.StartNew();
        var full = TimeSpan.Zero;
        if (direct || Soak)
        {
            await scenario.SyncToCompletionAsync();
            full = clock.Elapsed;
            Assert.Equal(expected, await scenario.DestinationDigestAsync());
            await scenario.ResetAsync();
        }
        var points = direct
            // Up to 0.7 of a whole sync: a later kill often came after the end, once start-up got fast.
            ? [.. Enumerable.Range(0, 18).Select(i => Delay(full * (0.1 + 0.6 * i / 18.0))), At(KillEvent.Committed, 1), At(KillEvent.Saved, 1)]
            : overwrite ? OverwritePoints : RangePoints;
        if (Soak)
            points = [.. points, .. Enumerable.Range(0, 80).Select(i => Delay(full * (0.1 + 0.9 * (i % 20) / 20.0)))];

        int killed = 0, chains = 0;
        var log = new List<string>();
        for (var i = 0; i < points.Length; i++)
        {
            var point = points[i];
            if (overwrite && i == OverwriteOverCopyFrom && !await scenario.IsCompleteAsync())
                await scenario.SyncToCompletionAsync(); // from here a whole previous copy is in place
            else if (!overwrite && await scenario.IsCompleteAsync())
            {
                await EndChainAsync(scenario, expected, label, i);
                await scenario.ResetAsync();
                chains++;
            }
            var before = await scenario.Destination.CommittedKeyAsync(Rows);
            var remaining = (Rows - (int)before) / RangeRows + 1; // the ranges left and the final checkpoint
            var spec = point.Timed ? null : point.Spec(remaining);
            var run = Stopwatch.StartNew();
            var (exitCode, processOutput) = await scenario.RunKilledAsync(spec, point.After);
            var wasKilled = exitCode == 137;
            if (wasKilled)
                killed++;
            else
                // A delayed point may fall after the sync's end: with ReadyToRun a 2,000-row swap or commit takes less
                // than 60 ms. The sync must then have succeeded; it counts as not killed, and the 3/4 check below
                // keeps the loop honest. A point without a delay must always kill.
                Assert.True((point.Timed || point.DelayMs > 0) && exitCode == 0,
                    $"{label}: kill point {point} ({spec}) did not kill the sync (exit code {exitCode}):\n{processOutput}");

            var after = await scenario.Destination.CommittedKeyAsync(Rows);
            var rows = await scenario.DestinationRowsAsync();
            log.Add($"{point} [{spec}]: {(wasKilled ? "killed" : "finished")} after {run.Elapsed.TotalSeconds:F1} s, committed key {before} -> {after}, {rows} rows");
            Assert.Equal(0, await scenario.DuplicateKeysAsync());
            if (overwrite)
            {
                // Readers see no table (none was ever swapped in) or the whole table, never part of one.
                Assert.True(rows == 0 && i < OverwriteOverCopyFrom || rows == Rows, $"{label}: after {point} the destination has {rows} rows");
                if (rows == Rows)
                    Assert.True(expected == await scenario.DestinationDigestAsync(), $"{label}: after {point} the table differs from the source");
            }
            else
            {
                // Exactly-once at every point: the rows are exactly those of the committed ranges, none twice.
                Assert.True(rows == after, $"{label}: after {point} ({spec}) the destination has {rows} rows but its state says {after} are committed\n{string.Join("\n", log)}");
                if (point.CommittedRanges(remaining) is { } ranges)
                    Assert.True(after == Math.Min(Rows, before + ranges * RangeRows), $"{label}: {point} ({spec}) should have left {ranges} more range(s) committed than {before}, found {after}");
            }
        }
        if (!overwrite || !await scenario.IsCompleteAsync())
            await EndChainAsync(scenario, expected, label, points.Length);
        chains++;

        output.WriteLine(string.Join("\n", log));
        output.WriteLine($"{label}: {Rows:N0} rows in {Ranges} ranges; {points.Length} kill points, {killed} killed a running sync, {chains} chain(s) converged; {clock.Elapsed.TotalSeconds:F0} s in all");
        Assert.True(killed >= points.Length * 3 / 4, $"only {killed} of {points.Length} kills hit a running sync");
    }

    /// <summary>Finishes the killed sync and checks the destination is exactly the source.</summary>
    private static async Task EndChainAsync(SyncScenario scenario, string expected, string label, int point)
    {
        if (!await scenario.IsCompleteAsync())
            await scenario.SyncToCompletionAsync();
        Assert.True(expected == await scenario.DestinationDigestAsync(), $"{label}: the chain ending before kill point {point} left a destination that differs from the source");
        Assert.Equal(0, await scenario.DuplicateKeysAsync());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection : ICollectionFixture<ScratchFolderCleanup>
{
    public const string Name = "faults";
}
