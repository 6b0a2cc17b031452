using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Runtime;

public sealed partial class DagOperations
{
    /// <summary>
    /// Clears a finished task (and, with <paramref name="downstream"/>, every finished task after it) so it runs again
    /// with a new attempt number; a finished run goes back to running. Returns the task ids cleared.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClearAsync(long runId, string taskId, bool downstream, CancellationToken cancellationToken = default)
    {
        var run = await store.Runs.GetRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var dag = await catalog.GetAsync(run.Dag, run.Version, cancellationToken);
        dag.Task(taskId);
        var targets = new HashSet<string> { taskId };
        if (downstream)
        {
            var pending = new Stack<string>([taskId]);
            while (pending.TryPop(out var id))
                foreach (var down in dag.Graph.Downstream(id).Where(targets.Add))
                    pending.Push(down);
        }

        var cleared = new List<string>();
        foreach (var task in (await store.Runs.ListTasksAsync([runId], cancellationToken)).Where(t => targets.Contains(t.TaskId)))
        {
            var state = RunFactory.State(task);
            if (!state.IsTerminal())
                continue;
            var plan = TaskStateMachine.Plan(state, TaskState.None, task.Attempt);
            if (await store.Runs.TransitionAsync(new TaskStateChange(task.Id, task.State, task.Attempt, plan.To.ToName(), plan.NewAttempt), cancellationToken))
                cleared.Add(task.TaskId);
        }

        if (cleared.Count > 0 && RunStates.IsFinished(run.State))
            await store.Runs.SetRunStateAsync(run.Id, run.State, RunStates.Running, cancellationToken: cancellationToken);
        signals?.Scheduler.Signal();
        return cleared;
    }

    /// <summary>
    /// Sets a task's state by hand (success or failed). The attempt number stays: a running task's worker is refused
    /// because the task is no longer running, and a later clear gives the next number. A finished run is re-evaluated
    /// by the scheduler.
    /// </summary>
    public async Task MarkTaskAsync(long runId, string taskId, TaskState target, CancellationToken cancellationToken = default)
    {
        if (target is not (TaskState.Success or TaskState.Failed))
            throw new ArgumentException("a task can be marked success or failed");
        var run = await store.Runs.GetRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var task = (await store.Runs.ListTasksAsync([runId], cancellationToken)).FirstOrDefault(t => t.TaskId == taskId)
            ?? throw new NotFoundException("task", $"{run.Dag}.{taskId} in run {runId}");
        if (!await store.Runs.TransitionAsync(new TaskStateChange(task.Id, task.State, task.Attempt, target.ToName(), task.Attempt) { Error = target == TaskState.Failed ? "marked failed by hand" : null }, cancellationToken))
            throw new InvalidOperationException($"task {taskId} of run {runId} changed meanwhile; look again and retry");
        if (RunStates.IsFinished(run.State))
            await store.Runs.SetRunStateAsync(run.Id, run.State, RunStates.Running, cancellationToken: cancellationToken);
        signals?.Scheduler.Signal();
    }

    /// <summary>Ends a run by hand as success or failed; tasks still waiting are left as they are and never start.</summary>
    public async Task MarkRunAsync(long runId, string state, CancellationToken cancellationToken = default)
    {
        if (state is not (RunStates.Success or RunStates.Failed))
            throw new ArgumentException("a run can be marked success or failed");
        var run = await store.Runs.GetRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!await store.Runs.SetRunStateAsync(run.Id, run.State, state, cancellationToken: cancellationToken))
            throw new InvalidOperationException($"run {runId} changed meanwhile; look again and retry");
    }
}
