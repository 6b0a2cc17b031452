using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata.Tests;

/// <summary>What distributed mode needs of every store: queues, hand-back, the process registry.</summary>
public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task A_worker_claims_only_from_its_queues()
    {
        await Store.Dags.ApplyAsync("q", "name: q\n");
        var run = (await Store.Runs.CreateRunAsync(NewRun("q", Now), [new NewTaskInstance("near-db", "none", "default", 1, "warehouse"), new NewTaskInstance("any", "none", "default", 1)]))!;
        foreach (var task in await Store.Runs.ListTasksAsync([run.Id]))
            Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "queued", 1)));

        var general = Assert.Single(await Store.Runs.ClaimAsync("general", 5, ["default"]));
        Assert.Equal(("any", "default"), (general.Task.TaskId, general.Task.Queue));
        Assert.Empty(await Store.Runs.ClaimAsync("general", 5, ["default"]));
        var near = Assert.Single(await Store.Runs.ClaimAsync("near", 5, ["warehouse", "other"]));
        Assert.Equal(("near-db", "warehouse"), (near.Task.TaskId, near.Task.Queue));
    }

    [Fact]
    public async Task A_handed_back_attempt_is_queued_again_with_a_new_attempt_and_the_try_not_counted()
    {
        var task = await TaskAsync();
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "queued", 1)));
        var claimed = Assert.Single(await Store.Runs.ClaimAsync("draining", 5));

        Assert.True(await Store.Runs.HandBackAsync(task.Id, claimed.Task.Attempt));
        Assert.False(await Store.Runs.HandBackAsync(task.Id, claimed.Task.Attempt));
        Assert.False(await Store.Runs.HeartbeatAsync(task.Id, claimed.Task.Attempt));
        var stored = (await Store.Runs.GetTaskAsync(task.Id))!;
        Assert.Equal(("queued", 2, 0, (string?)null), (stored.State, stored.Attempt, stored.TryNumber, stored.WorkerId));
        var again = Assert.Single(await Store.Runs.ClaimAsync("other", 5));
        Assert.Equal((2, 1), (again.Task.Attempt, again.Task.TryNumber));
    }

    [Fact]
    public async Task The_registry_keeps_processes_with_their_state_and_running_tasks()
    {
        var task = await TaskAsync();
        Assert.True(await Store.Runs.TransitionAsync(new TaskStateChange(task.Id, "none", 1, "queued", 1)));
        await Store.Workers.RegisterAsync(new WorkerRecord
        {
            Id = "w1", Host = "h1", Pid = 42, Slots = 3, Queues = ["default", "warehouse"], Labels = new Dictionary<string, string> { ["zone"] = "a" },
        });
        await Store.Workers.RegisterAsync(new WorkerRecord { Id = "s1", Kind = WorkerRecord.SchedulerKind, Host = "h2", Pid = 7 });
        Assert.Single(await Store.Runs.ClaimAsync("w1", 5));

        Assert.True(await Store.Workers.HeartbeatAsync("w1", WorkerRecord.Draining));
        Assert.False(await Store.Workers.HeartbeatAsync("nobody", WorkerRecord.Active));
        var all = await Store.Workers.ListAsync();
        Assert.Equal(["s1", "w1"], all.Select(w => w.Id));
        var w1 = all.Single(w => w.Id == "w1");
        Assert.Equal(("h1", 42, 3, WorkerRecord.Draining, 1), (w1.Host, w1.Pid, w1.Slots, w1.State, w1.RunningTasks));
        Assert.Equal(["default", "warehouse"], w1.Queues);
        Assert.Equal("a", w1.Labels["zone"]);
        Assert.Equal(WorkerRecord.SchedulerKind, all.Single(w => w.Id == "s1").Kind);
        Assert.Equal(0, w1.RunningSyncJobs);

        // Queued sync jobs it claimed count as its sync jobs, while they run; a DAG sync task's job is its task already.
        var connection = await ConnectionAsync();
        var queued = await Store.Jobs.EnqueueAsync(connection.Id);
        await Store.Jobs.EnqueueAsync(connection.Id);
        var claims = await Store.Jobs.ClaimAsync("w1", 5);
        Assert.Equal(2, claims.Count);
        await Store.Jobs.CreateHeldAsync(connection.Id, "w1");
        Assert.Equal((1, 2), (await Store.Workers.ListAsync()).Single(w => w.Id == "w1") is var busy ? (busy.RunningTasks, busy.RunningSyncJobs) : default);
        Assert.True(await Store.Jobs.FinishClaimedAsync(claims.Single(c => c.JobId == queued.Id), Core.Model.JobStatus.Succeeded, null));
        Assert.Equal(1, (await Store.Workers.ListAsync()).Single(w => w.Id == "w1").RunningSyncJobs);

        // A restart under the same id starts afresh.
        await Store.Workers.RegisterAsync(new WorkerRecord { Id = "w1", Host = "h3", Pid = 43, Slots = 1 });
        var restarted = (await Store.Workers.ListAsync()).Single(w => w.Id == "w1");
        Assert.Equal(("h3", 43, WorkerRecord.Active), (restarted.Host, restarted.Pid, restarted.State));
    }
}
