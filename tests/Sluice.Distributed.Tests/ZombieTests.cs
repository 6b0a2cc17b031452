namespace Sluice.Distributed.Tests;

/// <summary>
/// A worker that stops heartbeating (frozen with SIGSTOP, as a host cut off would be) becomes a zombie: the scheduler
/// fails its attempt and the retry runs on another worker. When it wakes, its heartbeat is refused, it kills the
/// command it was running and reports nothing over the newer attempt.
/// </summary>
public sealed class ZombieTests
{
    [Fact]
    public async Task A_frozen_workers_attempt_is_retried_elsewhere_and_its_late_result_is_refused()
    {
        await using var cluster = await Cluster.StartAsync();
        var marks = Path.Combine(cluster.DataDir, "marks");
        Directory.CreateDirectory(marks);
        await cluster.Operations.ApplyAsync($$"""
            name: slow
            schedule: manual
            tasks:
              - id: work
                type: command
                command: sh
                args: ["-c", "echo $$ >> {{marks}}/started; sleep 15; echo $$ >> {{marks}}/ended"]
                retries: 3
                retry_delay: 1s
            """);
        await cluster.ReadyAsync(cluster.Scheduler("s1", "--zombie-after", "5s"));
        var w1 = await cluster.ReadyAsync(cluster.Worker("w1", 2, "--heartbeat", "500ms"));
        var run = await cluster.Operations.TriggerAsync("slow");
        var first = await cluster.WaitForTaskAsync(run.Id, "work", t => t is { State: "running", WorkerId: "w1" } && File.Exists(Path.Combine(marks, "started")), why: "running on w1");

        w1.Freeze();
        var w2 = await cluster.ReadyAsync(cluster.Worker("w2", 2, "--heartbeat", "500ms"));
        var retry = await cluster.WaitForTaskAsync(run.Id, "work", t => t is { State: "running", WorkerId: "w2" }, why: "retried on w2");
        // The zombie's retry is the next attempt: the attempt number counts chances, one each.
        Assert.Equal(first.Attempt + 1, retry.Attempt);
        Assert.Contains("zombie: slow.work", cluster.AllOutput);

        w1.Thaw();
        var done = await cluster.WaitForTaskAsync(run.Id, "work", t => t.State == "success", seconds: 90, why: "success");
        Assert.Equal(retry.Attempt, done.Attempt);
        Assert.Equal("w2", done.WorkerId);

        // The first attempt's command was killed when w1 woke: only the retry's shell wrote its end mark.
        var started = await File.ReadAllLinesAsync(Path.Combine(marks, "started"));
        var ended = await File.ReadAllLinesAsync(Path.Combine(marks, "ended"));
        Assert.Equal(2, started.Length);
        Assert.Equal(new[] { started[1] }, ended);
        Assert.Contains($"task instance {first.Id} attempt {first.Attempt}: heartbeat refused, abandoning the attempt", w1.Stderr);
        var logs = await cluster.Store.Runs.ReadLogsAsync(first.Id);
        Assert.Contains("heartbeat refused", logs.Single(l => l.Attempt == first.Attempt).Text);
        Assert.Contains("succeeded", logs.Single(l => l.Attempt == retry.Attempt).Text);
    }
}
