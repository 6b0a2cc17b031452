using Sluice.Metadata.Orchestration;

namespace Sluice.Distributed.Tests;

/// <summary>SIGTERM drains a worker: no new claims, running attempts get the grace period, the rest is handed back, exit 0.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task Sigterm_lets_short_tasks_finish_hands_long_ones_back_and_exits_0()
    {
        await using var cluster = await Cluster.StartAsync();
        var go = Path.Combine(cluster.DataDir, "go");
        await cluster.Operations.ApplyAsync($$"""
            name: mixed
            schedule: manual
            tasks:
              - id: short
                type: command
                command: sleep
                args: ["1"]
              - id: long
                type: command
                command: sh
                args: ["-c", "if [ -f {{go}} ]; then exit 0; fi; sleep 120"]
            """);
        await cluster.ReadyAsync(cluster.Scheduler("s1"));
        var w1 = await cluster.ReadyAsync(cluster.Worker("w1", 4, "--grace", "3s"));
        var run = await cluster.Operations.TriggerAsync("mixed");
        await cluster.WaitForTaskAsync(run.Id, "long", t => t is { State: "running", WorkerId: "w1" }, why: "running on w1");
        await cluster.WaitForTaskAsync(run.Id, "short", t => t.WorkerId == "w1", why: "claimed by w1");

        w1.Terminate();
        await w1.WaitForLineAsync(@"^worker w1 draining \(\d+ running, grace 3s\)$", TimeSpan.FromSeconds(20));
        Assert.Equal(0, await w1.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(w1.Printed("^worker w1 stopped$"), w1.Output);

        var shortTask = await cluster.TaskAsync(run.Id, "short");
        Assert.Equal(("success", 1, "w1"), (shortTask.State, shortTask.Attempt, shortTask.WorkerId));
        var handedBack = await cluster.TaskAsync(run.Id, "long");
        Assert.Equal(("queued", 2, 0), (handedBack.State, handedBack.Attempt, handedBack.TryNumber));
        Assert.Contains("handed back to the queue", string.Concat((await cluster.Store.Runs.ReadLogsAsync(handedBack.Id)).Select(l => l.Text)));
        var registered = (await cluster.Store.Workers.ListAsync()).Single(w => w.Id == "w1");
        Assert.Equal(WorkerRecord.Stopped, registered.State);

        await File.WriteAllTextAsync(go, "");
        await cluster.ReadyAsync(cluster.Worker("w2"));
        var done = await cluster.WaitForTaskAsync(run.Id, "long", t => t.State == "success", why: "success on w2");
        Assert.Equal(("w2", 2, 1), (done.WorkerId, done.Attempt, done.TryNumber));
    }
}
