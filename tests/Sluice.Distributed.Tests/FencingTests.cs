using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Distributed.Tests;

/// <summary>What a deposed scheduler writes with its old fencing token is refused by the store, whatever the write.</summary>
public sealed class FencingTests
{
    [Fact]
    public async Task Writes_with_a_stale_token_are_refused_and_change_nothing()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.Store;
        await cluster.Operations.ApplyAsync("""
            name: fenced
            schedule: manual
            tasks:
              - id: t
                type: command
                command: "true"
            """);
        var old = (await store.Lease.TryAcquireAsync("old", TimeSpan.FromMilliseconds(300)))!;
        var run = (await store.Runs.CreateRunAsync(NewRun(1), [new NewTaskInstance("t", "none", "default", 1)], old.Token))!;
        var task = Assert.Single(await store.Runs.ListTasksAsync([run.Id]));

        await Task.Delay(500);
        var fresh = (await store.Lease.TryAcquireAsync("new", TimeSpan.FromSeconds(30)))!;
        Assert.Equal(old.Token + 1, fresh.Token);
        Assert.Null(await store.Lease.TryAcquireAsync("old", TimeSpan.FromSeconds(30)));

        await Assert.ThrowsAsync<LeaseLostException>(() => store.Runs.CreateRunAsync(NewRun(2), [new NewTaskInstance("t", "none", "default", 1)], old.Token));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "scheduled", 1) { FencingToken = old.Token }));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.Runs.TransitionManyAsync([new TaskStateChange(task.Id, "none", 1, "scheduled", 1)], old.Token));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.Runs.SetRunStateAsync(run.Id, "queued", "running", old.Token));
        Assert.Single(await store.Runs.ListRunsAsync("fenced", null, 10));
        Assert.Equal("none", (await store.Runs.GetTaskAsync(task.Id))!.State);
        Assert.Equal("queued", (await store.Runs.GetRunAsync(run.Id))!.State);

        Assert.Equal([task.Id], await store.Runs.TransitionManyAsync([new TaskStateChange(task.Id, "none", 1, "scheduled", 1)], fresh.Token));
        Assert.True(await store.Runs.SetRunStateAsync(run.Id, "queued", "running", fresh.Token));
        Assert.NotNull(await store.Runs.CreateRunAsync(NewRun(2), [new NewTaskInstance("t", "none", "default", 1)], fresh.Token));
    }

    private static DagRunRecord NewRun(int hour)
    {
        var at = new DateTimeOffset(2026, 1, 1, hour, 0, 0, TimeSpan.Zero);
        return new DagRunRecord { Dag = "fenced", LogicalDate = at, IntervalStart = at, IntervalEnd = at, State = "queued", RunType = "manual", Version = 1 };
    }
}
