using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>Scheduler and worker in one process on a real SQLite store, running real commands.</summary>
public sealed class EndToEndTests
{
    private const string Chain = """
        name: chain
        params:
          who: nobody
        tasks:
          - id: first
            type: command
            command: sh
            args: ["-c", "echo hello {{ params.who }}"]
          - id: second
            type: command
            command: "true"
            depends_on: [first]
          - id: third
            type: command
            command: "true"
            depends_on: [second]
        """;

    [Fact]
    public async Task A_triggered_run_goes_through_every_task_and_records_its_version()
    {
        await using var h = (await Harness.SqliteAsync()).Start();
        var applied = Assert.Single(await h.Operations.ApplyAsync(Chain));
        Assert.Equal(1, applied.Version);

        var run = await h.Operations.TriggerAsync("chain", new Dictionary<string, string> { ["who"] = "sluice" });
        run = await h.WaitForRunAsync(run.Id);

        Assert.Equal(RunStates.Success, run.State);
        var tasks = await h.TasksAsync(run.Id);
        Assert.All(tasks.Values, t => Assert.Equal("success", t.State));
        Assert.True(tasks["first"].EndedAt <= tasks["second"].StartedAt);
        Assert.Contains("hello sluice", await h.LogAsync(tasks["first"]));

        var changed = Assert.Single(await h.Operations.ApplyAsync(Chain.Replace("nobody", "somebody")));
        Assert.Equal(2, changed.Version);
        var second = await h.WaitForRunAsync((await h.Operations.TriggerAsync("chain")).Id);
        Assert.Equal((1, 2), (run.Version, second.Version));
        Assert.Contains("hello somebody", await h.LogAsync((await h.TasksAsync(second.Id))["first"]));
    }

    [Fact]
    public async Task A_failing_task_fails_its_downstream_and_all_done_still_runs()
    {
        await using var h = (await Harness.SqliteAsync()).Start();
        await h.Operations.ApplyAsync("""
            name: rules
            tasks:
              - id: broken
                type: command
                command: sh
                args: ["-c", "echo boom >&2; exit 3"]
              - id: load
                type: command
                command: "true"
                depends_on: [broken]
              - id: report
                type: command
                command: "true"
                depends_on: [load]
              - id: cleanup
                type: command
                command: "true"
                depends_on: [broken]
                trigger_rule: all_done
            """);

        var run = await h.WaitForRunAsync((await h.Operations.TriggerAsync("rules")).Id);

        var tasks = await h.TasksAsync(run.Id);
        Assert.Equal(RunStates.Failed, run.State);
        Assert.Equal(("failed", 3), (tasks["broken"].State, tasks["broken"].ExitCode));
        Assert.Equal("upstream_failed", tasks["load"].State);
        Assert.Equal("upstream_failed", tasks["report"].State);
        Assert.Equal("success", tasks["cleanup"].State);
        Assert.Contains("boom", await h.LogAsync(tasks["broken"]));
    }

    [Fact]
    public async Task A_timeout_kills_the_command_and_fails_the_task()
    {
        await using var h = (await Harness.SqliteAsync()).Start();
        await h.Operations.ApplyAsync("""
            name: slow
            tasks:
              - id: sleepy
                type: command
                command: sleep
                args: ["60"]
                timeout: 1s
            """);

        var started = DateTime.UtcNow;
        var run = await h.WaitForRunAsync((await h.Operations.TriggerAsync("slow")).Id);

        var task = (await h.TasksAsync(run.Id))["sleepy"];
        Assert.Equal(("failed", RunStates.Failed), (task.State, run.State));
        Assert.Contains("timed out", task.Error);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(45), "the sleep was not killed");
    }

    [Fact]
    public async Task A_pool_never_runs_more_tasks_than_its_slots()
    {
        await using var h = (await Harness.SqliteAsync()).Start();
        await h.Store.Pools.SetAsync("narrow", 2);
        var tasks = string.Concat(Enumerable.Range(1, 6).Select(i => $"""

              - id: t{i}
                type: command
                command: sleep
                args: ["0.3"]
                pool: narrow
            """));
        await h.Operations.ApplyAsync($"name: pooled\ntasks:{tasks}");

        var run = await h.WaitForRunAsync((await h.Operations.TriggerAsync("pooled")).Id);

        Assert.Equal(RunStates.Success, run.State);
        var spans = (await h.TasksAsync(run.Id)).Values.Select(t => (t.StartedAt!.Value, t.EndedAt!.Value)).ToList();
        var most = spans.Max(s => spans.Count(o => o.Item1 <= s.Item1 && s.Item1 < o.Item2));
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task A_dag_waiting_on_another_runs_when_that_one_succeeds()
    {
        await using var h = (await Harness.SqliteAsync()).Start();
        await h.Operations.ApplyAsync("""
            name: upstream
            tasks:
              - id: produce
                type: command
                command: "true"
            ---
            name: downstream
            on:
              dags: [upstream]
            tasks:
              - id: consume
                type: command
                command: "true"
            """);

        await h.WaitForRunAsync((await h.Operations.TriggerAsync("upstream")).Id);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await h.Store.Runs.ListRunsAsync("downstream", null, 10)).Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var run = Assert.Single(await h.Store.Runs.ListRunsAsync("downstream", null, 10));
        Assert.Equal(RunTypes.Event, run.RunType);
        Assert.Equal(RunStates.Success, (await h.WaitForRunAsync(run.Id)).State);
    }
}
