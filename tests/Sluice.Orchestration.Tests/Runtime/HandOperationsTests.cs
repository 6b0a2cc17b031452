using Microsoft.Extensions.Time.Testing;
using Sluice.Orchestration.Runtime;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>What an operator does to finished runs: clear a task (with or without what follows it), mark tasks and runs.</summary>
public sealed class HandOperationsTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Diamond = """
        name: diamond
        tasks:
          - { id: extract, type: command, command: "true" }
          - { id: load, type: command, command: "true", depends_on: [extract] }
          - { id: report, type: command, command: "true", depends_on: [load] }
          - { id: audit, type: command, command: "true" }
        """;

    private static async Task DriveAsync(Harness h)
    {
        for (var i = 0; i < 8; i++)
        {
            await h.Scheduler.TickAsync(default);
            await h.Worker.RunOnceAsync(default);
        }

        await h.Scheduler.TickAsync(default);
    }

    [Fact]
    public async Task Clearing_with_downstream_reruns_the_task_and_everything_after_it_and_nothing_else()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync(Diamond);
        var run = await h.Operations.TriggerAsync("diamond");
        await DriveAsync(h);
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);

        Assert.Equal(["load"], await h.Operations.ClearAsync(run.Id, "load", downstream: false));
        await DriveAsync(h);
        Assert.Equal(["extract", "load", "report"], (await h.Operations.ClearAsync(run.Id, "extract", downstream: true)).Order());
        Assert.Equal(RunStates.Running, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        await DriveAsync(h);

        var tasks = await h.TasksAsync(run.Id);
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        Assert.All(tasks.Values, t => Assert.Equal("success", t.State));
        // The attempt number counts every new chance: load was cleared twice, extract and report once, audit never.
        Assert.Equal((2, 3, 2, 1), (tasks["extract"].Attempt, tasks["load"].Attempt, tasks["report"].Attempt, tasks["audit"].Attempt));
        Assert.Equal([1, 2], (await h.Store.Runs.ReadLogsAsync(tasks["report"].Id)).Select(l => l.Attempt));
        Assert.Equal([1, 2, 3], (await h.Store.Runs.ReadLogsAsync(tasks["load"].Id)).Select(l => l.Attempt));
    }

    [Fact]
    public async Task Marking_a_failed_task_success_by_hand_then_clearing_its_downstream_finishes_the_run()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync("""
            name: fixable
            tasks:
              - { id: flaky, type: command, command: "false" }
              - { id: after, type: command, command: "true", depends_on: [flaky] }
            """);
        var run = await h.Operations.TriggerAsync("fixable");
        await DriveAsync(h);
        Assert.Equal(RunStates.Failed, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        Assert.Equal("upstream_failed", (await h.TasksAsync(run.Id))["after"].State);

        await h.Operations.MarkTaskAsync(run.Id, "flaky", TaskState.Success);
        Assert.Equal(["after"], await h.Operations.ClearAsync(run.Id, "after", downstream: true));
        await DriveAsync(h);

        var tasks = await h.TasksAsync(run.Id);
        Assert.Equal(("success", "success"), (tasks["flaky"].State, tasks["after"].State));
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Operations.MarkTaskAsync(run.Id, "flaky", TaskState.Running));
    }

    [Fact]
    public async Task Marking_a_run_by_hand_ends_it_and_its_waiting_tasks_never_start()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync(Diamond);
        var run = await h.Operations.TriggerAsync("diamond");
        await h.Scheduler.TickAsync(default);

        await h.Operations.MarkRunAsync(run.Id, RunStates.Failed);
        await DriveAsync(h);

        Assert.Equal(RunStates.Failed, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
        Assert.Equal("none", (await h.TasksAsync(run.Id))["report"].State);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => h.Operations.MarkRunAsync(run.Id, "running"));
        Assert.Contains("success or failed", error.Message);
    }
}
