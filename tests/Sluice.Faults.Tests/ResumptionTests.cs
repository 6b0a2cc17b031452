using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Xunit.Abstractions;

namespace Sluice.Faults.Tests;

/// <summary>Where a resumed sync starts, and a destination server restart in the middle of a sync.</summary>
[Collection(FaultsCollection.Name)]
public sealed partial class ResumptionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DbEngine.Postgres)]
    [InlineData(DbEngine.MariaDb)]
    public async Task A_killed_full_refresh_append_resumes_at_its_last_committed_range(DbEngine source)
    {
        var scenario = await SyncScenario.CreateAsync("resume", 60_000, "full_refresh", "append", checkpointRows: 1_000, sourceEngine: source);
        await KillAfterSavedCheckpointAsync(scenario, 3);
        // The destination's own state (committed with the rows) says where the next attempt must start.
        var after = await scenario.Destination.CommittedAfterAsync();
        var committed = await scenario.Destination.ScalarAsync("select count(*) from raw.items");
        var remaining = await scenario.Source.ScalarAsync($"select count(*) from items where id > {after}");
        Assert.True(committed > 0 && remaining > 0, $"the kill did not land mid-table: {committed} committed, {remaining} left");
        Assert.Equal(60_000, committed + remaining);

        var resumed = await scenario.SyncToCompletionAsync();

        var read = long.Parse(RecordsRead().Match(resumed).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        output.WriteLine($"{source} source: killed after {committed:N0} committed rows (last range ends at id {after}); the resumed sync read {read:N0} rows, {remaining:N0} expected");
        Assert.Equal(remaining, read);
        Assert.Equal(await scenario.SourceDigestAsync(), await scenario.DestinationDigestAsync());
    }

    /// <summary>
    /// checkpoint_rows larger than the table makes the whole read one range, so any commit before the end can only
    /// come from checkpoint_seconds: `sluice sync` must commit by time inside the range, and a kill after such a
    /// commit must resume right after its last row.
    /// </summary>
    [Theory]
    [InlineData(DbEngine.Postgres)]
    [InlineData(DbEngine.MariaDb)]
    public async Task A_killed_sync_resumes_after_its_last_time_checkpoint_inside_one_range(DbEngine source)
    {
        const int rows = 150_000;
        var scenario = await SyncScenario.CreateAsync("timeckpt", rows, "full_refresh", "append", checkpointRows: 10_000_000, sourceEngine: source,
            sourceCheckpointSeconds: 0.1);
        // The first saved checkpoint: PostgreSQL reads so much faster than the destination writes that a 150,000-row
        // read may give only a few time checkpoints before its end.
        var killed = await KillAfterSavedCheckpointAsync(scenario, 1);
        var after = await scenario.Destination.CommittedAfterAsync();
        var committed = await scenario.Destination.ScalarAsync("select count(*) from raw.items");
        var remaining = await scenario.Source.ScalarAsync($"select count(*) from items where id > {after}");
        Assert.True(committed > 0 && remaining > 0, $"the kill did not land mid-range: {committed} committed, {remaining} left");
        Assert.True(rows == committed + remaining, $"{committed} committed (state after id {after}), {remaining} left: not {rows}\n{killed}");

        var resumed = await scenario.SyncToCompletionAsync();

        var read = long.Parse(RecordsRead().Match(resumed).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        output.WriteLine($"{source} source, one range of {rows:N0} rows: killed after {committed:N0} rows committed by time (up to id {after}); the resumed sync read {read:N0} rows, {remaining:N0} expected");
        Assert.Equal(remaining, read);
        Assert.Equal(await scenario.SourceDigestAsync(), await scenario.DestinationDigestAsync());
    }

    /// <summary>
    /// The same for a PostgreSQL table without a primary key, read in ctid (page) ranges, into SQLite (PostgreSQL to
    /// PostgreSQL would copy such a table directly, all or nothing): the resumed sync reads exactly the rows the
    /// committed ranges did not hold. The ids are still unique, so the digest shows none lost or doubled.
    /// </summary>
    [Fact]
    public async Task A_killed_full_refresh_append_of_a_keyless_table_resumes_at_its_last_committed_ctid_range()
    {
        var scenario = await SyncScenario.CreateAsync("resumectid", 60_000, "full_refresh", "append", checkpointRows: 1_000,
            destinationEngine: DbEngine.Sqlite, keyless: true);
        await KillAfterSavedCheckpointAsync(scenario, 3);
        var committed = await scenario.DestinationRowsAsync();
        Assert.InRange(committed, 1, 59_999);

        var resumed = await scenario.SyncToCompletionAsync();

        var read = long.Parse(RecordsRead().Match(resumed).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        output.WriteLine($"keyless source: killed after {committed:N0} committed rows; the resumed sync read {read:N0} rows, {60_000 - committed:N0} expected");
        Assert.Equal(60_000 - committed, read);
        Assert.Equal(0, await scenario.DuplicateKeysAsync());
        Assert.Equal(await scenario.SourceDigestAsync(), await scenario.DestinationDigestAsync());
    }

    [Fact]
    public async Task A_database_restart_mid_sync_is_retried_with_backoff_and_the_sync_completes()
    {
        // 300,000 rows: on a quiet machine 60,000 took half a second, less than the time to see a range and restart.
        var scenario = await SyncScenario.CreateAsync("restart", 300_000, "incremental", "append_dedup", checkpointRows: 2_000);
        using var sync = scenario.StartSync("--attempts", "4");
        Assert.True(await scenario.WaitForRangeAsync(sync), "no range was committed before the sync ended:\n" + sync.Output);
        // Source and destination live on the same server here: the restart cuts both mid-sync.
        await scenario.Source.Postgres.RestartAsync();
        await sync.WaitAsync(TimeSpan.FromMinutes(3));

        output.WriteLine(sync.Output);
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.Matches(@"after [2-4] attempt\(s\)", sync.Output);
        Assert.Equal(await scenario.SourceDigestAsync(), await scenario.DestinationDigestAsync());
        Assert.Equal(0, await scenario.DuplicateKeysAsync());

        // Every attempt is kept with its own outcome, error and stats, and the retries waited their backoff.
        var attempts = await scenario.AttemptsOfLastJobAsync();
        output.WriteLine(string.Join("\n", attempts.Select(a => $"attempt {a.Number}: {a.Status} {a.StartedAt:HH:mm:ss.fff}-{a.EndedAt:HH:mm:ss.fff}, {a.Stats.RecordsCommitted} committed, error: {a.Error}")));
        Assert.True(attempts.Count >= 2, $"{attempts.Count} attempt(s) recorded");
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.Number));
        Assert.All(attempts.SkipLast(1), failed =>
        {
            Assert.Equal(JobStatus.Failed, failed.Status);
            Assert.False(string.IsNullOrWhiteSpace(failed.Error), $"attempt {failed.Number} failed with no error kept");
        });
        Assert.True(attempts[0].Stats.RecordsRead > 0, "the first attempt's stats (it read rows before the restart) were not kept");
        var last = attempts[^1];
        Assert.Equal(JobStatus.Succeeded, last.Status);
        Assert.Null(last.Error);
        Assert.True(last.Stats.RecordsCommitted > 0, "the succeeding attempt's stats were not kept");
        var initialBackoff = new SyncJobOptions().InitialBackoff;
        for (var i = 1; i < attempts.Count; i++)
            Assert.True(attempts[i].StartedAt - attempts[i - 1].EndedAt!.Value >= initialBackoff * 0.9,
                $"attempt {attempts[i].Number} started {(attempts[i].StartedAt - attempts[i - 1].EndedAt!.Value).TotalSeconds:F2} s after attempt {attempts[i - 1].Number} ended; the backoff is at least {initialBackoff.TotalSeconds} s");
    }

    [Fact]
    public async Task Sluice_reset_makes_the_next_incremental_sync_read_from_the_beginning()
    {
        var scenario = await SyncScenario.CreateAsync("reset", 2_000, "incremental", "append", checkpointRows: 500);
        await scenario.SyncToCompletionAsync();
        var again = await scenario.SyncToCompletionAsync();
        Assert.Matches(@"succeeded after 1 attempt\(s\): [1-7] records", again); // only the rows at the last cursor value

        var (code, text) = await SluiceProcess.RunAsync(scenario.DataDir, SyncScenario.Env, "reset", "items", "--stream", "public.items");
        Assert.True(code == 0, text);
        Assert.Contains("reset stream public.items of connection items", text);
        var afterReset = await scenario.SyncToCompletionAsync();

        Assert.Contains("2,000 records", afterReset);

        // The whole connection: the same, for every stream.
        Assert.Matches(@"succeeded after 1 attempt\(s\): [1-7] records", await scenario.SyncToCompletionAsync());
        (code, text) = await SluiceProcess.RunAsync(scenario.DataDir, SyncScenario.Env, "reset", "items");
        Assert.True(code == 0, text);
        Assert.Contains("reset all streams of connection items", text);
        Assert.Contains("2,000 records", await scenario.SyncToCompletionAsync());
    }

    /// <summary>
    /// Kills the sync (SIGKILL, one attempt) right after the metadata store saved its n-th checkpoint. Deterministic:
    /// polling the destination for a committed range raced a 60,000-row sync that takes half a second on a quiet machine.
    /// </summary>
    private static async Task<string> KillAfterSavedCheckpointAsync(SyncScenario scenario, int n)
    {
        var (exitCode, text) = await scenario.RunKilledAsync($"saved:{n}", after: null);
        Assert.True(exitCode == 137, $"the sync was not killed after its checkpoint {n} was saved (exit code {exitCode}):\n{text}");
        return text;
    }

    [GeneratedRegex(@"succeeded after \d+ attempt\(s\): ([\d,]+) records")]
    private static partial Regex RecordsRead();
}
