using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task Dag_apply_adds_a_version_only_when_the_definition_changes()
    {
        var first = await Store.Dags.ApplyAsync("daily", "name: daily\n");
        var same = await Store.Dags.ApplyAsync("daily", "name: daily\n");
        var changed = await Store.Dags.ApplyAsync("daily", "name: daily\ndescription: x\n");

        Assert.True(first.Created);
        Assert.False(same.Changed);
        Assert.Equal(2, changed.Dag.CurrentVersion);
        Assert.Equal(["name: daily\n", "name: daily\ndescription: x\n"], (await Store.Dags.ListVersionsAsync("daily")).Select(v => v.Definition));
        Assert.True(await Store.Dags.SetPausedAsync("daily", true));
        Assert.True((await Store.Dags.GetAsync("daily"))!.Paused);
        Assert.False(await Store.Dags.SetPausedAsync("missing", true));
    }

    [Fact]
    public async Task A_run_is_unique_on_dag_and_logical_date()
    {
        await Store.Dags.ApplyAsync("daily", "name: daily\n");
        var run = NewRun("daily", Now.AddDays(-1));
        var created = await Store.Runs.CreateRunAsync(run, [new NewTaskInstance("a", "none", "default", 1)]);
        var again = await OpenAgain().Runs.CreateRunAsync(run, [new NewTaskInstance("a", "none", "default", 1)]);

        Assert.NotNull(created);
        Assert.Null(again);
        Assert.Single(await Store.Runs.ListRunsAsync("daily", null, 10));
        Assert.Single(await Store.Runs.ListTasksAsync([created.Id]));
        Assert.Equal(1, (await Store.Runs.GetRunAsync(created.Id))!.Version);
    }

    [Fact]
    public async Task A_transition_with_a_stale_attempt_changes_nothing()
    {
        var task = await TaskAsync();
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "queued", 1)));
        var claimed = Assert.Single(await Store.Runs.ClaimAsync("w1", 5));
        Assert.Equal("running", claimed.Task.State);
        Assert.Equal(1, claimed.Task.TryNumber);
        Assert.Empty(await Store.Runs.ClaimAsync("w2", 5));

        // The scheduler gives the task a new attempt (say, it declared the worker a zombie); the old worker's write is refused.
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "running", 1, "up_for_retry", 2) { Error = "zombie" }));
        Assert.False(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "running", 1, "success", 1)));
        Assert.False(await Store.Runs.HeartbeatAsync(task.Id, 1));
        var stored = (await Store.Runs.GetTaskAsync(task.Id))!;
        Assert.Equal(("up_for_retry", 2, "zombie"), (stored.State, stored.Attempt, stored.Error));
    }

    [Fact]
    public async Task Task_logs_append_per_attempt()
    {
        var task = await TaskAsync();
        await Store.Runs.AppendLogAsync(task.Id, 1, "one\n");
        await Store.Runs.AppendLogAsync(task.Id, 1, "two\n");
        await Store.Runs.AppendLogAsync(task.Id, 2, "three\n");
        Assert.Equal([(1, "one\ntwo\n"), (2, "three\n")], await Store.Runs.ReadLogsAsync(task.Id));
    }

    [Fact]
    public async Task The_lease_goes_to_one_holder_until_it_expires()
    {
        var a = await Store.Lease.TryAcquireAsync("a", TimeSpan.FromSeconds(10));
        Assert.NotNull(a);
        Assert.Null(await OpenAgain().Lease.TryAcquireAsync("b", TimeSpan.FromSeconds(10)));
        Assert.Equal(a.Token, (await Store.Lease.TryAcquireAsync("a", TimeSpan.FromSeconds(10)))!.Token);

        Time.Advance(TimeSpan.FromSeconds(11));
        var b = await OpenAgain().Lease.TryAcquireAsync("b", TimeSpan.FromSeconds(10));
        Assert.Equal(a.Token + 1, b!.Token);
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.Runs.CreateRunAsync(NewRun("x", Now), [], a.Token));
    }

    [Fact]
    public async Task Pools_count_queued_and_running_tasks()
    {
        await Store.Pools.SetAsync("db", 2);
        Assert.Contains(new PoolRecord("db", 2), await Store.Pools.ListAsync());
        Assert.Contains(new PoolRecord("default", 128), await Store.Pools.ListAsync());
        var task = await TaskAsync();
        await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "queued", 1));
        Assert.Equal(1, (await Store.Runs.BusyByPoolAsync())["default"]);
    }

    [Fact]
    public async Task The_scheduler_reads_tasks_by_state_and_asks_which_runs_are_unfinished()
    {
        await Store.Dags.ApplyAsync("d", "name: d\n");
        var open = (await Store.Runs.CreateRunAsync(NewRun("d", Now), [new NewTaskInstance("a", "none", "default", 1), new NewTaskInstance("b", "none", "default", 1)]))!;
        var done = (await Store.Runs.CreateRunAsync(NewRun("d", Now.AddDays(1)), [new NewTaskInstance("a", "none", "default", 1)]))!;
        var a = (await Store.Runs.ListTasksAsync([open.Id])).Single(t => t.TaskId == "a");
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(a.Id, "none", 1, "queued", 1)));
        var finished = Assert.Single(await Store.Runs.ListTasksAsync([done.Id]));
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(finished.Id, "none", 1, "failed", 1)));

        var listed = await Store.Runs.ListTasksInStatesAsync([open.Id, done.Id], ["none", "running"]);
        Assert.Equal(["b"], listed.Select(t => t.TaskId));
        Assert.Equal(new HashSet<long> { open.Id }, (await Store.Runs.RunsWithTasksInStatesAsync([open.Id, done.Id], ["none", "queued", "running"])).ToHashSet());
        Assert.Equal(new HashSet<long> { open.Id }, (await Store.Runs.RunsWithTasksInStatesAsync([open.Id, done.Id], ["queued"])).ToHashSet());
        Assert.Empty(await Store.Runs.RunsWithTasksInStatesAsync([done.Id], ["none", "queued", "running"]));
        var counts = await Store.Runs.CountTasksByStateAsync([open.Id, done.Id], ["queued", "failed"]);
        Assert.Equal(1, counts[open.Id]["queued"]);
        Assert.False(counts[open.Id].ContainsKey("none"));
        Assert.Equal(1, counts[done.Id]["failed"]);
        Assert.Equal(2, (await Store.Runs.CountTasksByStateAsync([open.Id]))[open.Id].Values.Sum());

        // The claim returns each task with its run, in one statement on PostgreSQL.
        var claimed = Assert.Single(await Store.Runs.ClaimAsync("w1", 5));
        Assert.Equal((a.Id, open.Id, "d", open.LogicalDate, open.Params), (claimed.Task.Id, claimed.Run.Id, claimed.Run.Dag, claimed.Run.LogicalDate, claimed.Run.Params));
    }

    private DagRunRecord NewRun(string dag, DateTimeOffset logicalDate) => new()
    {
        Dag = dag, LogicalDate = logicalDate, IntervalStart = logicalDate, IntervalEnd = logicalDate.AddDays(1), State = "running", RunType = "scheduled", Version = 1,
    };

    private async Task<TaskInstanceRecord> TaskAsync()
    {
        await Store.Dags.ApplyAsync("d", "name: d\n");
        var run = await Store.Runs.CreateRunAsync(NewRun("d", Now), [new NewTaskInstance("t", "none", "default", 1)]);
        return Assert.Single(await Store.Runs.ListTasksAsync([run!.Id]));
    }
}
