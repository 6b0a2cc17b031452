using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata.Tests;

/// <summary>The set-based writes the scheduler and workers use: each row still checked on its own state and attempt.</summary>
public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task A_batch_transition_changes_only_the_rows_that_still_match_each_change()
    {
        await Store.Dags.ApplyAsync("wide", "name: wide\n");
        var instances = Enumerable.Range(0, 2500).Select(i => new NewTaskInstance($"t{i:D4}", "none", "default", 1, i % 2 == 0 ? "default" : "other")).ToList();
        var run = (await Store.Runs.CreateRunAsync(NewRun("wide", Now), instances))!;
        var tasks = (await Store.Runs.ListTasksAsync([run.Id])).OrderBy(t => t.TaskId, StringComparer.Ordinal).ToList();
        // One task moved on by someone else first: its change in the batch no longer matches.
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(tasks[7].Id, "none", 1, "skipped", 1)));

        var changed = await Store.Runs.TransitionManyAsync(tasks.Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());
        Assert.Equal(2499, changed.Count);
        Assert.DoesNotContain(tasks[7].Id, changed);
        var stored = await Store.Runs.ListTasksAsync([run.Id]);
        Assert.Equal(2499, stored.Count(t => t.State == "queued" && t.QueuedAt is not null));
        Assert.Equal("skipped", stored.Single(t => t.Id == tasks[7].Id).State);

        // A stale attempt number and a different change per group in one call: errors and attempts land per row.
        var mixed = new List<TaskStateChange>
        {
            new(tasks[0].Id, "queued", 1, "failed", 1) { Error = "gave up" },
            new(tasks[1].Id, "queued", 2, "failed", 2) { Error = "stale" },
            new(tasks[2].Id, "queued", 1, "up_for_retry", 2) { NextRetryAt = Now.AddMinutes(5) },
        };
        Assert.Equal([tasks[0].Id, tasks[2].Id], (await Store.Runs.TransitionManyAsync(mixed)).Order());
        Assert.Equal(("failed", "gave up"), ((await Store.Runs.GetTaskAsync(tasks[0].Id))!.State, (await Store.Runs.GetTaskAsync(tasks[0].Id))!.Error));
        Assert.Equal(("queued", 1), ((await Store.Runs.GetTaskAsync(tasks[1].Id))!.State, (await Store.Runs.GetTaskAsync(tasks[1].Id))!.Attempt));
        Assert.Equal(("up_for_retry", 2), ((await Store.Runs.GetTaskAsync(tasks[2].Id))!.State, (await Store.Runs.GetTaskAsync(tasks[2].Id))!.Attempt));
        Assert.Empty(await Store.Runs.TransitionManyAsync([]));
    }

    [Fact]
    public async Task One_heartbeat_covers_many_attempts_and_names_those_taken_away()
    {
        await Store.Dags.ApplyAsync("beats", "name: beats\n");
        var run = (await Store.Runs.CreateRunAsync(NewRun("beats", Now), Enumerable.Range(0, 3).Select(i => new NewTaskInstance($"t{i}", "none", "default", 1)).ToList()))!;
        var tasks = await Store.Runs.ListTasksAsync([run.Id]);
        await Store.Runs.TransitionManyAsync(tasks.Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());
        var claimed = await Store.Runs.ClaimAsync("w1", 10);
        Assert.Equal(3, claimed.Count);

        // One declared dead (new attempt), one ended: only the third is still running at its attempt.
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(claimed[0].Task.Id, "running", 1, "up_for_retry", 2) { Error = "zombie" }));
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(claimed[1].Task.Id, "running", 1, "success", 1)));
        var alive = await Store.Runs.HeartbeatManyAsync(claimed.Select(c => (c.Task.Id, c.Task.Attempt)).ToList());
        Assert.Equal([claimed[2].Task.Id], alive);
        Assert.Empty(await Store.Runs.HeartbeatManyAsync([(claimed[2].Task.Id, 2)]));
        Assert.Empty(await Store.Runs.HeartbeatManyAsync([]));
    }

    [Fact]
    public async Task A_zombie_decision_is_refused_when_the_attempt_heartbeated_after_the_read()
    {
        await Store.Dags.ApplyAsync("zombies", "name: zombies\n");
        var run = (await Store.Runs.CreateRunAsync(NewRun("zombies", Now), Enumerable.Range(0, 2).Select(i => new NewTaskInstance($"t{i}", "none", "default", 1)).ToList()))!;
        var tasks = await Store.Runs.ListTasksAsync([run.Id]);
        await Store.Runs.TransitionManyAsync(tasks.Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());
        var claimed = (await Store.Runs.ClaimAsync("w1", 10)).Select(c => c.Task).OrderBy(t => t.Id).ToList();
        var beats = new List<DateTimeOffset>();
        foreach (var t in claimed)
            beats.Add((await Store.Runs.GetTaskAsync(t.Id))!.HeartbeatAt!.Value);

        // The first decision's cutoff is not later than the stored heartbeat (the worker beat after the scheduler read
        // the row); the second's is.
        var changed = await Store.Runs.TransitionManyAsync(
        [
            new TaskStateChange(claimed[0].Id, "running", 1, "up_for_retry", 1) { Error = "zombie", HeartbeatBefore = beats[0] },
            new TaskStateChange(claimed[1].Id, "running", 1, "up_for_retry", 1) { Error = "zombie", HeartbeatBefore = beats[1].AddSeconds(1) },
        ]);
        Assert.Equal([claimed[1].Id], changed);
        Assert.Equal("running", (await Store.Runs.GetTaskAsync(claimed[0].Id))!.State);
        Assert.Equal("up_for_retry", (await Store.Runs.GetTaskAsync(claimed[1].Id))!.State);
    }

    [Fact]
    public async Task A_batch_of_reports_ends_only_the_attempts_still_running_and_keeps_every_log()
    {
        await Store.Dags.ApplyAsync("reports", "name: reports\n");
        var run = (await Store.Runs.CreateRunAsync(NewRun("reports", Now), Enumerable.Range(0, 4).Select(i => new NewTaskInstance($"t{i}", "none", "default", 1)).ToList()))!;
        var tasks = await Store.Runs.ListTasksAsync([run.Id]);
        await Store.Runs.TransitionManyAsync(tasks.Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());
        var claimed = (await Store.Runs.ClaimAsync("w1", 10)).Select(c => c.Task).OrderBy(t => t.Id).ToList();
        await Store.Runs.AppendLogAsync(claimed[0].Id, 1, "started\n");
        // Declared dead meanwhile: the lost worker's report must not end the newer attempt.
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(claimed[3].Id, "running", 1, "up_for_retry", 2) { Error = "zombie" }));

        var retryAt = Now.AddMinutes(5);
        var applied = await Store.Runs.ReportManyAsync(
        [
            new(claimed[0].Id, "running", 1, "success", 1) { ExitCode = 0, AppendLog = "done\n" },
            new(claimed[1].Id, "running", 1, "failed", 1) { ExitCode = 2, Error = "exit 2", AppendLog = "boom\n" },
            new(claimed[2].Id, "running", 1, "up_for_retry", 1) { Error = "timeout", NextRetryAt = retryAt },
            new(claimed[3].Id, "running", 1, "success", 1) { AppendLog = "late\n" },
        ]);

        Assert.Equal([claimed[0].Id, claimed[1].Id, claimed[2].Id], applied.Order());
        var stored = (await Store.Runs.ListTasksAsync([run.Id])).ToDictionary(t => t.Id);
        Assert.Equal(("success", 0, (string?)null), (stored[claimed[0].Id].State, stored[claimed[0].Id].ExitCode, stored[claimed[0].Id].Error));
        Assert.Equal(("failed", 2, "exit 2"), (stored[claimed[1].Id].State, stored[claimed[1].Id].ExitCode, stored[claimed[1].Id].Error));
        Assert.Equal(("up_for_retry", retryAt), (stored[claimed[2].Id].State, stored[claimed[2].Id].NextRetryAt));
        Assert.Equal(("up_for_retry", 2), (stored[claimed[3].Id].State, stored[claimed[3].Id].Attempt));
        Assert.All(claimed.Take(3), t => Assert.NotNull(stored[t.Id].EndedAt));
        Assert.Equal([(1, "started\ndone\n")], await Store.Runs.ReadLogsAsync(claimed[0].Id));
        Assert.Equal([(1, "boom\n")], await Store.Runs.ReadLogsAsync(claimed[1].Id));
        // The refused report's lines stay in its own attempt's log, next to nothing of the newer attempt.
        Assert.Equal([(1, "late\n")], await Store.Runs.ReadLogsAsync(claimed[3].Id));
        Assert.Empty(await Store.Runs.ReportManyAsync([]));

        var notAReport = await Assert.ThrowsAsync<ArgumentException>(() => Store.Runs.ReportManyAsync([new(claimed[0].Id, "queued", 1, "success", 1)]));
        Assert.Contains("TransitionManyAsync", notAReport.Message);
    }
    [Fact]
    public async Task A_claim_carrying_reports_ends_only_the_attempts_still_running_and_claims_the_queued_ones()
    {
        await Store.Dags.ApplyAsync("carry", "name: carry\n");
        var run = (await Store.Runs.CreateRunAsync(NewRun("carry", Now), Enumerable.Range(0, 5).Select(i => new NewTaskInstance($"t{i}", "none", "default", 1)).ToList()))!;
        var tasks = (await Store.Runs.ListTasksAsync([run.Id])).OrderBy(t => t.Id).ToList();
        await Store.Runs.TransitionManyAsync(tasks.Take(2).Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());
        var claimed = (await Store.Runs.ClaimAsync("w1", 10)).Select(c => c.Task).OrderBy(t => t.Id).ToList();
        // Declared dead meanwhile: the lost worker's report, carried by its next claim, must not end the newer attempt.
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(claimed[1].Id, "running", 1, "up_for_retry", 2) { Error = "zombie" }));
        await Store.Runs.TransitionManyAsync(tasks.Skip(2).Select(t => new TaskStateChange(t.Id, "none", 1, "queued", 1)).ToList());

        var done = await Store.Runs.ReportAndClaimAsync(
        [
            new(claimed[0].Id, "running", 1, "success", 1) { ExitCode = 0, AppendLog = "done\n" },
            new(claimed[1].Id, "running", 1, "success", 1) { AppendLog = "late\n" },
        ], "w1", 2);

        Assert.Equal([claimed[0].Id], done.Applied.Order());
        Assert.Equal([tasks[2].Id, tasks[3].Id], done.Claimed.Select(c => c.Task.Id).Order());
        Assert.All(done.Claimed, c => Assert.Equal((run.Id, "running", "w1"), (c.Run.Id, c.Task.State, c.Task.WorkerId)));
        Assert.Equal("success", (await Store.Runs.GetTaskAsync(claimed[0].Id))!.State);
        Assert.Equal(("up_for_retry", 2), ((await Store.Runs.GetTaskAsync(claimed[1].Id))!.State, (await Store.Runs.GetTaskAsync(claimed[1].Id))!.Attempt));
        Assert.Equal([(1, "done\n")], await Store.Runs.ReadLogsAsync(claimed[0].Id));
        Assert.Equal([(1, "late\n")], await Store.Runs.ReadLogsAsync(claimed[1].Id));

        // Nothing to report, or no free slot: each half alone.
        Assert.Equal([tasks[4].Id], (await Store.Runs.ReportAndClaimAsync([], "w1", 5)).Claimed.Select(c => c.Task.Id));
        var reportOnly = await Store.Runs.ReportAndClaimAsync([new(tasks[2].Id, "running", 1, "failed", 1) { Error = "boom" }], "w1", 0);
        Assert.Equal([tasks[2].Id], reportOnly.Applied);
        Assert.Empty(reportOnly.Claimed);
    }
}
