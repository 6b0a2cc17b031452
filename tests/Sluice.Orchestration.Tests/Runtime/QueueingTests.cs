using Microsoft.Extensions.Time.Testing;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>What the scheduler queues first and how much at once: priority weights, max_active_tasks, shared pools.</summary>
public sealed class QueueingTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Higher_priority_weights_are_queued_first_when_a_pool_has_one_slot()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Store.Pools.SetAsync("single", 1);
        await h.Operations.ApplyAsync("""
            name: weighted
            tasks:
              - { id: low, type: command, command: "true", pool: single, priority_weight: 1 }
              - { id: high, type: command, command: "true", pool: single, priority_weight: 10 }
              - { id: middle, type: command, command: "true", pool: single, priority_weight: 5 }
            """);
        var run = await h.Operations.TriggerAsync("weighted");

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await h.Scheduler.TickAsync(default);
            order.Add(Assert.Single((await h.TasksAsync(run.Id)).Values, t => t.State == "queued").TaskId);
            Assert.Equal(1, await h.Worker.RunOnceAsync(default));
        }

        await h.Scheduler.TickAsync(default);
        Assert.Equal(["high", "middle", "low"], order);
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
    }

    [Fact]
    public async Task Max_active_tasks_caps_a_dag_across_its_runs_but_not_other_dags()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        var tasks = string.Concat(Enumerable.Range(1, 3).Select(i => $"\n  - {{ id: t{i}, type: command, command: \"true\" }}"));
        await h.Operations.ApplyAsync($"name: capped\nmax_active_tasks: 2\ntasks:{tasks}\n---\nname: free\ntasks:{tasks}");
        var first = await h.Operations.TriggerAsync("capped");
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await h.Operations.TriggerAsync("capped");
        var other = await h.Operations.TriggerAsync("free");

        await h.Scheduler.TickAsync(default);
        var queued = (await h.Store.Runs.ListTasksAsync([first.Id, second.Id])).Count(t => t.State == "queued");
        Assert.Equal(2, queued);
        Assert.Equal(3, (await h.TasksAsync(other.Id)).Values.Count(t => t.State == "queued"));

        // Six capped task instances in all, two at a time: three worker rounds, never more than two queued or running.
        for (var round = 0; round < 6 && !RunStates.IsFinished((await h.Store.Runs.GetRunAsync(second.Id))!.State); round++)
        {
            Assert.InRange((await h.Store.Runs.ListTasksAsync([first.Id, second.Id])).Count(t => t.State is "queued" or "running"), 0, 2);
            await h.Worker.RunOnceAsync(default);
            await h.Scheduler.TickAsync(default);
        }

        Assert.Equal((RunStates.Success, RunStates.Success), ((await h.Store.Runs.GetRunAsync(first.Id))!.State, (await h.Store.Runs.GetRunAsync(second.Id))!.State));
    }

    [Fact]
    public async Task A_pool_is_shared_by_every_dag()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time);
        await h.Store.Pools.SetAsync("warehouse", 2);
        var tasks = string.Concat(Enumerable.Range(1, 3).Select(i => $"\n  - {{ id: t{i}, type: command, command: \"true\", pool: warehouse }}"));
        await h.Operations.ApplyAsync($"name: a\ntasks:{tasks}\n---\nname: b\ntasks:{tasks}");
        var a = await h.Operations.TriggerAsync("a");
        var b = await h.Operations.TriggerAsync("b");

        await h.Scheduler.TickAsync(default);

        Assert.Equal(2, (await h.Store.Runs.ListTasksAsync([a.Id, b.Id])).Count(t => t.State == "queued"));
    }

    [Fact]
    public async Task One_pass_queues_thousands_of_ready_tasks_within_the_pool_and_a_join_runs_after_them()
    {
        var time = new FakeTimeProvider(Start);
        await using var h = await Harness.SqliteAsync(time, Harness.FastOptions() with { WorkerSlots = 1000 });
        await h.Store.Pools.SetAsync("default", 2500);
        const int Wide = 3000;
        var ids = Enumerable.Range(0, Wide).Select(i => $"t{i:D4}").ToList();
        await h.Operations.ApplyAsync($"name: wide\nmax_active_tasks: {Wide + 1}\ntasks:\n" + string.Concat(ids.Select(id => $"  - {{ id: {id}, type: noop }}\n"))
            + $"  - {{ id: join, type: noop, depends_on: [{string.Join(", ", ids)}] }}\n");
        var run = await h.Operations.TriggerAsync("wide");

        // One pass decides and queues every ready task it may: the pool's 2,500 slots, not one task per round trip.
        await h.Scheduler.TickAsync(default);
        var tasks = await h.TasksAsync(run.Id);
        Assert.Equal(2500, tasks.Values.Count(t => t.State == "queued"));
        Assert.Equal(Wide - 2500, tasks.Values.Count(t => t.State == "scheduled"));
        Assert.Equal("none", tasks["join"].State);

        for (var round = 0; round < 10 && !RunStates.IsFinished((await h.Store.Runs.GetRunAsync(run.Id))!.State); round++)
        {
            await h.Worker.RunOnceAsync(default);
            await h.Scheduler.TickAsync(default);
            tasks = await h.TasksAsync(run.Id);
            if (tasks.Values.Any(t => t.TaskId != "join" && t.State != "success"))
                Assert.Equal("none", tasks["join"].State);
        }

        tasks = await h.TasksAsync(run.Id);
        Assert.All(tasks.Values, t => Assert.Equal(("success", 1, 1), (t.State, t.Attempt, t.TryNumber)));
        Assert.Equal(RunStates.Success, (await h.Store.Runs.GetRunAsync(run.Id))!.State);
    }
}
