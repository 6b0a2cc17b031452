namespace Sluice.Distributed.Tests;

/// <summary>LISTEN/NOTIFY: a worker polling only every 30 s still starts a queued task at once, and a chain crosses processes quickly.</summary>
public sealed class WakeLatencyTests
{
    [Fact]
    public async Task Notifications_wake_the_worker_long_before_its_poll()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Operations.ApplyAsync("""
            name: chain
            schedule: manual
            tasks:
              - id: a
                type: command
                command: "true"
              - id: b
                type: command
                command: "true"
                depends_on: [a]
              - id: c
                type: command
                command: "true"
                depends_on: [b]
            """);
        await cluster.ReadyAsync(cluster.Scheduler("s1"));
        await cluster.ReadyAsync(cluster.Worker("w1", 2, "--poll", "30s"));
        // Let the worker's first claim (at start) pass, so only a notification can wake it.
        await Task.Delay(1500);

        var run = await cluster.Operations.TriggerAsync("chain");
        var last = await cluster.WaitForTaskAsync(run.Id, "c", t => t.State == "success", seconds: 60, why: "success");
        var tasks = await cluster.Store.Runs.ListTasksAsync([run.Id]);
        foreach (var task in tasks)
        {
            var pickup = task.StartedAt!.Value - task.QueuedAt!.Value;
            Console.WriteLine($"{task.TaskId}: queued to started {pickup.TotalMilliseconds:0} ms");
            Assert.True(pickup < TimeSpan.FromSeconds(5), $"{task.TaskId} waited {pickup.TotalSeconds:0.0} s for a worker polling every 30 s");
        }
        var chain = last.EndedAt!.Value - tasks.Single(t => t.TaskId == "a").QueuedAt!.Value;
        Console.WriteLine($"three chained tasks across processes: {chain.TotalMilliseconds:0} ms");
        Assert.True(chain < TimeSpan.FromSeconds(15), $"the chain took {chain.TotalSeconds:0.0} s");
    }
}
