using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Runtime;

public sealed partial class SchedulerLoop
{
    /// <summary>Starts queued runs, moves tasks along, queues what may run, ends finished runs. True when anything changed.</summary>
    private async Task<bool> AdvanceAsync(Term term, CancellationToken cancellationToken)
    {
        var changed = false;
        var runs = (await store.Runs.ListRunsAsync(null, RunStates.Active, 100_000, cancellationToken)).OrderBy(r => r.LogicalDate).ThenBy(r => r.Id).ToList();
        var dags = new Dictionary<long, DagDefinition>();
        foreach (var run in runs.ToList())
        {
            try
            {
                dags[run.Id] = await catalog.GetAsync(run.Dag, run.Version, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One unreadable definition must not stall every other DAG.
                options.Log($"run {run.Id} of '{run.Dag}' is skipped: version {run.Version} cannot be loaded: {ex.Message}", ex);
                runs.Remove(run);
            }
        }

        // max_active_runs: the oldest queued runs start first.
        var runningPerDag = runs.Where(r => r.State == RunStates.Running).GroupBy(r => r.Dag).ToDictionary(g => g.Key, g => g.Count());
        foreach (var run in runs.Where(r => r.State == RunStates.Queued).ToList())
        {
            if (runningPerDag.GetValueOrDefault(run.Dag) >= dags[run.Id].MaxActiveRuns || !await store.Runs.SetRunStateAsync(run.Id, RunStates.Queued, RunStates.Running, term.Fence(), cancellationToken))
                continue;
            runningPerDag[run.Dag] = runningPerDag.GetValueOrDefault(run.Dag) + 1;
            runs[runs.IndexOf(run)] = run with { State = RunStates.Running };
        }

        var running = runs.Where(r => r.State == RunStates.Running).ToList();
        var tasksByRun = await ReadOpenTasksAsync(running, cancellationToken);
        changed |= await SettleAsync(term, running, dags, tasksByRun, time.GetUtcNow(), cancellationToken);
        // Asked after this pass's decisions were written, so tasks it ended count as ended. A run with no unfinished task
        // left ends; only those runs are counted (failed or not), so a pass costs index probes, not a count of every task.
        var runIds = running.Select(r => r.Id).ToList();
        var unfinished = await store.Runs.RunsWithTasksInStatesAsync(runIds, UnfinishedStates, cancellationToken);
        var ending = running.Where(r => !unfinished.Contains(r.Id)).ToList();
        if (ending.Count > 0)
        {
            var failures = await store.Runs.CountTasksByStateAsync(ending.Select(r => r.Id).ToList(), FailureStates, cancellationToken);
            foreach (var run in ending)
            {
                var to = failures.ContainsKey(run.Id) ? RunStates.Failed : RunStates.Success;
                if (await store.Runs.SetRunStateAsync(run.Id, RunStates.Running, to, term.Fence(), cancellationToken))
                    changed = true;
            }
        }

        if (await QueueAsync(term, running, dags, tasksByRun, cancellationToken))
            signals.Worker.Signal();
        return changed;
    }

    private static readonly string[] UnfinishedStates = [.. Enum.GetValues<TaskState>().Where(s => !s.IsTerminal()).Select(s => s.ToName())];

    private static readonly string[] FailureStates = [TaskState.Failed.ToName(), TaskState.UpstreamFailed.ToName()];

    private static readonly string[] BusyStates = [TaskState.Queued.ToName(), TaskState.Running.ToName()];

    // Settled and queued tasks need no decision, and reading them every pass (tens of thousands in a wide run, woken by
    // every batch of ended attempts) cost more than everything else the scheduler does: only the states that may need a
    // decision are read, by index. A run with undecided tasks is read whole, because their trigger rules read their
    // upstream tasks' states.
    private static readonly string[] DecisionStates =
        [.. Enum.GetValues<TaskState>().Where(s => !s.IsTerminal() && s != TaskState.Queued).Select(s => s.ToName())];

    private async Task<Dictionary<long, Dictionary<string, TaskInstanceRecord>>> ReadOpenTasksAsync(List<DagRunRecord> running, CancellationToken cancellationToken)
    {
        var open = await store.Runs.ListTasksInStatesAsync(running.Select(r => r.Id).ToList(), DecisionStates, cancellationToken);
        var undecided = open.Where(t => t.State == TaskState.None.ToName()).Select(t => t.RunId).ToHashSet();
        var tasks = open.Where(t => !undecided.Contains(t.RunId));
        if (undecided.Count > 0)
            tasks = tasks.Concat(await store.Runs.ListTasksAsync(undecided, cancellationToken));
        return tasks.GroupBy(t => t.RunId).ToDictionary(g => g.Key, g => g.ToDictionary(t => t.TaskId));
    }

    /// <summary>
    /// Decides tasks by trigger rules, brings retries back when due, and fails zombies, for every running run at once;
    /// updates <paramref name="tasksByRun"/> in place. Each round is one set-based write of every decision the states
    /// allow; a round that ended tasks (skipped, upstream_failed, a failed zombie) can decide their downstream tasks,
    /// so it goes round again until nothing more is decided.
    /// </summary>
    private async Task<bool> SettleAsync(
        Term term, List<DagRunRecord> running, Dictionary<long, DagDefinition> dags, Dictionary<long, Dictionary<string, TaskInstanceRecord>> tasksByRun,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = false;
        while (true)
        {
            var decisions = new List<(Dictionary<string, TaskInstanceRecord> Tasks, TaskInstanceRecord Task, TaskStateChange Change, string? Zombie)>();
            foreach (var run in running)
            {
                if (tasksByRun.GetValueOrDefault(run.Id) is { } tasks)
                    Decide(dags[run.Id], tasks, now, decisions);
            }

            if (decisions.Count == 0)
                return changed;
            var done = await WriteAsync(term, decisions.Select(d => d.Change).ToList(), cancellationToken);
            var ended = false;
            foreach (var (tasks, task, change, zombie) in decisions.Where(d => done.Contains(d.Change.TaskInstanceId)))
            {
                tasks[task.TaskId] = task with { State = change.ToState, Attempt = change.NewAttempt };
                changed = true;
                ended |= TaskStates.TryParse(change.ToState, out var to) && to.IsTerminal();
                if (zombie is not null)
                    options.Log(zombie, null);
            }

            if (!ended)
                return changed;
        }
    }

    /// <summary>Adds what the current states of one run decide: trigger rules, due retries, zombies.</summary>
    private void Decide(
        DagDefinition dag, Dictionary<string, TaskInstanceRecord> tasks, DateTimeOffset now,
        List<(Dictionary<string, TaskInstanceRecord> Tasks, TaskInstanceRecord Task, TaskStateChange Change, string? Zombie)> decisions)
    {
        foreach (var (id, task) in tasks)
        {
            var state = RunFactory.State(task);
            TaskState? target = null;
            string? error = null;
            DateTimeOffset? retryAt = null;
            switch (state)
            {
                case TaskState.None when dag.TryTask(id) is { } definition:
                    var upstream = dag.Graph.Upstream(id).Select(u => tasks.TryGetValue(u, out var up) ? RunFactory.State(up) : TaskState.Removed);
                    target = TriggerRuleEvaluator.Evaluate(definition.TriggerRule, upstream).TargetState;
                    break;
                case TaskState.UpForRetry when task.NextRetryAt is not { } at || at <= now:
                    target = TaskState.Scheduled;
                    break;
                case TaskState.Running when task.HeartbeatAt is { } beat && now - beat > options.ZombieAfter && dag.TryTask(id) is { } definition:
                    error = $"no heartbeat from {task.WorkerId} for {Durations.Format(now - beat)}; the attempt is presumed dead";
                    target = definition.Retry.CanRetry(task.TryNumber) ? TaskState.UpForRetry : TaskState.Failed;
                    retryAt = target == TaskState.UpForRetry ? now + definition.Retry.DelayBefore(task.TryNumber) : null;
                    break;
            }

            if (target is not { } to)
                continue;
            // A zombie keeps its attempt number: leaving running already refuses the lost worker's late writes, and the
            // retry's up_for_retry -> scheduled gives the next number (one, not two: attempts stay consecutive).
            var newAttempt = TaskStateMachine.Plan(state, to, task.Attempt).NewAttempt;
            var change = new TaskStateChange(task.Id, task.State, task.Attempt, to.ToName(), newAttempt)
            {
                Error = error, NextRetryAt = retryAt,
                // The store re-checks the silence: a heartbeat that landed after this pass read the row keeps the attempt alive.
                HeartbeatBefore = state == TaskState.Running ? now - options.ZombieAfter : null,
            };
            var zombie = state == TaskState.Running
                ? $"zombie: {dag.Name}.{id} (task instance {task.Id}) attempt {task.Attempt} on {task.WorkerId}: {error}; now {to.ToName()} at attempt {newAttempt}"
                : null;
            decisions.Add((tasks, task, change, zombie));
        }
    }

    /// <summary>
    /// Writes the changes in fenced batches; the local deadline is checked before each batch, so a scheduler whose
    /// term ran out stops between batches (the store checks the token in every batch's transaction).
    /// </summary>
    private async Task<IReadOnlySet<long>> WriteAsync(Term term, List<TaskStateChange> changes, CancellationToken cancellationToken)
    {
        var done = new HashSet<long>();
        foreach (var batch in changes.Chunk(1000))
            done.UnionWith(await store.Runs.TransitionManyAsync(batch, term.Fence(), cancellationToken));
        return done;
    }

    /// <summary>Queues scheduled tasks by priority, within each pool's slots (shared by all DAGs) and each DAG's max_active_tasks.</summary>
    private async Task<bool> QueueAsync(
        Term term, List<DagRunRecord> running, Dictionary<long, DagDefinition> dags, Dictionary<long, Dictionary<string, TaskInstanceRecord>> tasksByRun,
        CancellationToken cancellationToken)
    {
        var candidates = running.SelectMany(r => (tasksByRun.GetValueOrDefault(r.Id) ?? []).Values.Where(t => t.State == "scheduled").Select(t => (Run: r, Task: t))).ToList();
        if (candidates.Count == 0)
            return false;
        // Counted after this pass's decisions were written, and only when something may be queued.
        var counts = await store.Runs.CountTasksByStateAsync(running.Select(r => r.Id).ToList(), BusyStates, cancellationToken);
        var slots = (await store.Pools.ListAsync(cancellationToken)).ToDictionary(p => p.Name, p => p.Slots);
        // Busy counts come from the store, not from the runs loaded here: tasks of other runs (or cleared ones) count too.
        var busyPool = new Dictionary<string, int>(await store.Runs.BusyByPoolAsync(cancellationToken));
        var busyDag = running.GroupBy(r => r.Dag).ToDictionary(g => g.Key, g => g.Sum(r =>
            counts.GetValueOrDefault(r.Id) is { } states ? states.GetValueOrDefault("queued") + states.GetValueOrDefault("running") : 0));
        var changes = new List<TaskStateChange>();
        foreach (var (run, task) in candidates.OrderByDescending(x => x.Task.Priority).ThenBy(x => x.Run.LogicalDate).ThenBy(x => x.Task.Id))
        {
            // A pool nobody created has no limit of its own; the DAG's max_active_tasks still applies.
            var poolSlots = slots.TryGetValue(task.Pool, out var s) ? s : int.MaxValue;
            if (busyPool.GetValueOrDefault(task.Pool) >= poolSlots || busyDag.GetValueOrDefault(run.Dag) >= dags[run.Id].MaxActiveTasks)
                continue;
            // Counted before the write: a task that someone else moved first only leaves a slot unused until the next pass.
            changes.Add(new TaskStateChange(task.Id, "scheduled", task.Attempt, "queued", task.Attempt));
            busyPool[task.Pool] = busyPool.GetValueOrDefault(task.Pool) + 1;
            busyDag[run.Dag] = busyDag.GetValueOrDefault(run.Dag) + 1;
        }

        return changes.Count > 0 && (await WriteAsync(term, changes, cancellationToken)).Count > 0;
    }
}
