using Microsoft.Extensions.Time.Testing;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>The scheduler and worker driven pass by pass on a fake clock: retries, backfill, max_active_runs, stale writers.</summary>
public sealed class DrivenTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_failing_task_is_retried_after_its_backoff_then_fails()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync("""
            name: flaky
            tasks:
              - id: fail
                type: command
                command: "false"
                retries: 2
                retry_delay: 10m
                retry_exponential_backoff: true
            """);
        var run = await h.Operations.TriggerAsync("flaky");

        await h.Scheduler.TickAsync(default);
        Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        var task = (await h.TasksAsync(run.Id))["fail"];
        Assert.Equal(("up_for_retry", 1, 1), (task.State, task.Attempt, task.TryNumber));
        Assert.Equal(Start.AddMinutes(10), task.NextRetryAt);

        // Not due yet: nothing happens.
        time.Advance(TimeSpan.FromMinutes(9));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(0, await h.Worker.RunOnceAsync(default));

        time.Advance(TimeSpan.FromMinutes(1));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        task = (await h.TasksAsync(run.Id))["fail"];
        Assert.Equal(("up_for_retry", 2, 2), (task.State, task.Attempt, task.TryNumber));
        Assert.Equal(time.GetUtcNow().AddMinutes(20), task.NextRetryAt);

        time.Advance(TimeSpan.FromMinutes(20));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        await h.Scheduler.TickAsync(default);
        task = (await h.TasksAsync(run.Id))["fail"];
        Assert.Equal(("failed", 3, 3), (task.State, task.Attempt, task.TryNumber));
        Assert.Equal(RunStates.Failed, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        Assert.Equal([1, 2, 3], (await h.Store.Runs.ReadLogsAsync(task.Id)).Select(l => l.Attempt));
    }

    [Fact]
    public async Task Backfill_creates_exactly_the_missed_runs_and_respects_max_active_runs()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync("""
            name: daily
            schedule: "@daily"
            start_date: 2025-06-01
            max_active_runs: 2
            tasks:
              - id: work
                type: command
                command: "true"
            """);
        await h.Operations.SetPausedAsync("daily", true);

        var created = await h.Operations.BackfillAsync("daily", new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 5, 5, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04"], created.Select(r => r.LogicalDate.ToString("yyyy-MM-dd")));
        Assert.Empty(await h.Operations.BackfillAsync("daily", new DateTimeOffset(2025, 5, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 5, 4, 0, 0, 0, TimeSpan.Zero)));

        await h.Scheduler.TickAsync(default);
        var runs = await h.Store.Runs.ListRunsAsync("daily", null, 10);
        Assert.Equal(2, runs.Count(r => r.State == RunStates.Running));
        Assert.Equal(["2025-05-01", "2025-05-02"], runs.Where(r => r.State == RunStates.Running).Select(r => r.LogicalDate.ToString("yyyy-MM-dd")).Order());

        for (var i = 0; i < 6; i++)
        {
            await h.Worker.RunOnceAsync(default);
            await h.Scheduler.TickAsync(default);
        }

        Assert.All(await h.Store.Runs.ListRunsAsync("daily", null, 10), r => Assert.Equal(RunStates.Success, r.State));
    }

    [Fact]
    public async Task A_worker_reporting_for_an_old_attempt_is_refused()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync("name: once\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n");
        var run = await h.Operations.TriggerAsync("once");
        await h.Scheduler.TickAsync(default);
        var claimed = Assert.Single(await h.Store.Runs.ClaimAsync("old-worker", 1));

        // Someone marks the running task failed by hand: the task is no longer running, so the worker is refused.
        await h.Operations.MarkTaskAsync(run.Id, "a", Sluice.Orchestration.Tasks.TaskState.Failed);
        var late = new TaskStateChange(claimed.Task.Id, "running", claimed.Task.Attempt, "success", claimed.Task.Attempt);

        Assert.False(await h.Store.Runs.TransitionAsync(late));
        Assert.False(await h.Store.Runs.HeartbeatAsync(claimed.Task.Id, claimed.Task.Attempt));
        Assert.Equal(("failed", 1), ((await h.TasksAsync(run.Id))["a"].State, (await h.TasksAsync(run.Id))["a"].Attempt));

        // Clearing it gives it another chance with the next attempt number; the old worker is still refused.
        Assert.Equal(["a"], await h.Operations.ClearAsync(run.Id, "a", downstream: true));
        await h.Scheduler.TickAsync(default);
        await h.Worker.RunOnceAsync(default);
        await h.Scheduler.TickAsync(default);
        Assert.Equal(("success", 2), ((await h.TasksAsync(run.Id))["a"].State, (await h.TasksAsync(run.Id))["a"].Attempt));
        Assert.False(await h.Store.Runs.TransitionAsync(late));
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
    }

    [Fact]
    public async Task A_zombies_retry_gets_the_next_attempt_number_and_the_lost_worker_is_refused()
    {
        var time = new FakeTimeProvider(Start);
        var options = Harness.FastOptions() with { ZombieAfter = TimeSpan.FromSeconds(30) };
        await using var h = await Harness.SqliteAsync(time, options);
        await h.Operations.ApplyAsync("name: lost\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n    retries: 2\n    retry_delay: 1m\n");
        var run = await h.Operations.TriggerAsync("lost");
        await h.Scheduler.TickAsync(default);
        var claimed = Assert.Single(await h.Store.Runs.ClaimAsync("dead-worker", 1));
        Assert.Equal(1, claimed.Task.Attempt);

        // The worker goes silent: the scheduler declares the attempt dead and counts it as a failed try.
        time.Advance(TimeSpan.FromSeconds(31));
        await h.Scheduler.TickAsync(default);
        var zombie = (await h.TasksAsync(run.Id))["a"];
        Assert.Equal(("up_for_retry", 1, 1), (zombie.State, zombie.Attempt, zombie.TryNumber));
        Assert.Contains("no heartbeat from dead-worker", zombie.Error);
        Assert.False(await h.Store.Runs.HeartbeatAsync(claimed.Task.Id, claimed.Task.Attempt));

        // The retry runs as attempt 2, not 3; the dead worker's late report is refused before and after.
        var late = new TaskStateChange(claimed.Task.Id, "running", claimed.Task.Attempt, "success", claimed.Task.Attempt);
        Assert.False(await h.Store.Runs.TransitionAsync(late));
        time.Advance(TimeSpan.FromMinutes(1));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        await h.Scheduler.TickAsync(default);
        var done = (await h.TasksAsync(run.Id))["a"];
        Assert.Equal(("success", 2, 2, "worker-test"), (done.State, done.Attempt, done.TryNumber, done.WorkerId));
        Assert.False(await h.Store.Runs.TransitionAsync(late));
        Assert.Equal([2], (await h.Store.Runs.ReadLogsAsync(done.Id)).Select(l => l.Attempt));

        // A clear after that is attempt 3: every way to a new chance adds exactly one.
        Assert.Equal(["a"], await h.Operations.ClearAsync(run.Id, "a", downstream: false));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        await h.Scheduler.TickAsync(default);
        Assert.Equal(("success", 3), ((await h.TasksAsync(run.Id))["a"].State, (await h.TasksAsync(run.Id))["a"].Attempt));
    }

    [Theory]
    [InlineData("tasks:\n  - {id: a, type: command, command: x, depends_on: [b]}\n  - {id: b, type: command, command: x, depends_on: [a]}", "cycle")]
    [InlineData("tasks:\n  - {id: a, type: command, command: x, depends_on: [nope]}", "nope")]
    [InlineData("schedule: \"61 * * * *\"\ntasks:\n  - {id: a, type: command, command: x}", "schedule")]
    [InlineData("timezone: Mars/Olympus\ntasks:\n  - {id: a, type: command, command: x}", "unknown time zone 'Mars/Olympus'")]
    [InlineData("tasks:\n  - {id: a, type: sync, connection: ghost}", "unknown connection 'ghost'")]
    public async Task Bad_definitions_are_refused_with_a_clear_error(string body, string expected)
    {
        await using var h = await Harness.SqliteAsync();
        var error = await Assert.ThrowsAsync<DagDefinitionException>(() => h.Operations.ApplyAsync("name: bad\n" + body));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await h.Store.Dags.ListAsync());
    }
}
