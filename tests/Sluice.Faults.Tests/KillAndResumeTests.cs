using System.Diagnostics;
using Xunit.Abstractions;

namespace Sluice.Faults.Tests;

/// <summary>
/// kill -9 of a running `sluice sync` at many points, then the same sync again: the destination (PostgreSQL or
/// MariaDB) must hold exactly the source's rows. Checkpoints commit with the data in the destination (_sluice_state),
/// so even append modes come out exactly-once. SLUICE_SOAK=1 runs more points over a bigger table.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private static readonly bool Soak = Environment.GetEnvironmentVariable("SLUICE_SOAK") == "1";
    private static int Points => Soak ? 100 : 20;
    private static int Rows(DbEngine destination) => Soak ? 200_000 : destination == DbEngine.Postgres ? 20_000 : 6_000;
    private const int ChainLength = 10;

    /// <summary>
    /// Every mode into PostgreSQL (the five of docs/sync-modes.md); into MariaDB, overwrite by default (its kill points land before, during and after
    /// the RENAME TABLE swap and the state write that follows it, which MySQL cannot put in one transaction) and every
    /// mode with SLUICE_SOAK=1: on the loaded CI machine one MariaDB mode's 20 points take 3-9 minutes. MariaDB runs a
    /// smaller table.
    /// </summary>
    public static TheoryData<string, string, DbEngine> Modes()
    {
        var modes = new TheoryData<string, string, DbEngine>
        {
            { "full_refresh", "overwrite", DbEngine.Postgres },
            { "full_refresh", "append", DbEngine.Postgres },
            { "incremental", "append", DbEngine.Postgres },
            { "incremental", "append_dedup", DbEngine.Postgres },
            { "full_refresh", "overwrite_dedup", DbEngine.Postgres },
            { "full_refresh", "overwrite", DbEngine.MariaDb },
        };
        if (Soak)
        {
            modes.Add("full_refresh", "append", DbEngine.MariaDb);
            modes.Add("incremental", "append", DbEngine.MariaDb);
            modes.Add("incremental", "append_dedup", DbEngine.MariaDb);
        }
        return modes;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Killed_syncs_resume_to_exactly_the_source(string syncMode, string destinationSyncMode, DbEngine destination)
    {
        var rows = Rows(destination);
        var scenario = await SyncScenario.CreateAsync(destinationSyncMode.Replace("_", ""), rows, syncMode, destinationSyncMode, checkpointRows: rows / 20,
            destinationEngine: destination);
        var expected = await scenario.SourceDigestAsync();

        var clock = Stopwatch.StartNew();
        await scenario.SyncToCompletionAsync();
        var full = clock.Elapsed;
        Assert.Equal(expected, await scenario.DestinationDigestAsync());

        int killed = 0, partial = 0, chains = 0;
        for (var point = 0; point < Points;)
        {
            // A chain: kill, resume, kill the resumed sync... then finish it and compare; resumption of a resumption is
            // where lost or doubled ranges would show.
            await scenario.ResetAsync();
            chains++;
            for (var link = 0; link < ChainLength && point < Points; link++, point++)
            {
                using (var victim = scenario.StartSync("--attempts", "1"))
                {
                    // Even points: a stepped delay, so kills land in start-up, before the first commit and mid-range.
                    // Odd points: once a range is committed, plus a stepped delay, so kills land between and during commits.
                    // Overwrite (deduplicated or not) commits nothing before its swap, so it gets stepped delays only.
                    if (point % 2 == 0 || destinationSyncMode.StartsWith("overwrite", StringComparison.Ordinal))
                        await Task.Delay(full * (0.1 + 0.6 * (point % 20) / 20.0));
                    else if (await scenario.WaitForRangeAsync(victim))
                        await Task.Delay(TimeSpan.FromMilliseconds(40 * (point % 7)));
                    if (await victim.KillAsync())
                        killed++;
                }
                if (await scenario.IsCompleteAsync())
                {
                    point++;
                    break; // the sync finished before the kill: running it again would be a new sync, not a resumption
                }
                if (await scenario.HasPartialCommitAsync())
                    partial++;
            }
            if (!await scenario.IsCompleteAsync())
                await scenario.SyncToCompletionAsync();

            Assert.True(expected == await scenario.DestinationDigestAsync(), $"{syncMode}/{destinationSyncMode} into {destination}: the chain ending at kill point {point} left a destination that differs from the source");
            Assert.Equal(0, await scenario.DuplicateKeysAsync());
        }
        output.WriteLine($"{syncMode}/{destinationSyncMode} into {destination}: {rows:N0} rows, one whole sync {full.TotalSeconds:F1} s; {Points} kill points in {chains} chains, {killed} killed a running process, {partial} after part of the data was committed (resumed from a range checkpoint); all converged in {clock.Elapsed.TotalSeconds:F0} s");
        // The first whole sync is measured cold; resumed syncs run warmer and can finish before a late kill point,
        // so a quarter is the floor that still proves the kills exercised running syncs.
        Assert.True(killed >= Points / 4, $"only {killed} of {Points} kills hit a running sync");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "faults";
}
