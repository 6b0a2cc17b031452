namespace Sluice.Orchestration.Tasks;

/// <summary>
/// The pure transition table of task states. The attempt number doubles as a fencing token: it grows
/// whenever a task instance gets a new chance to run (a retry, or a clear), so writes from an older
/// attempt no longer match. It grows nowhere else: every write of a worker also requires the state running, so
/// leaving running (a zombie, a hand mark) already refuses the old attempt, and every way back into running passes
/// exactly one new chance. Attempts are therefore numbered 1, 2, 3... whatever ended the previous one.
/// </summary>
public static class TaskStateMachine
{
    private static readonly Dictionary<TaskState, TaskState[]> Legal = new()
    {
        [TaskState.None] = [TaskState.Scheduled, TaskState.Skipped, TaskState.UpstreamFailed, TaskState.Removed],
        [TaskState.Scheduled] = [TaskState.Queued, TaskState.Skipped, TaskState.UpstreamFailed, TaskState.Removed],

        // Queued can fail without running: the scheduler gives up on a task no worker claimed in time.
        [TaskState.Queued] = [TaskState.Running, TaskState.Failed, TaskState.UpForRetry, TaskState.Removed],

        // Running -> Skipped: a task may decide there is nothing to do (e.g. a configured skip exit code).
        [TaskState.Running] = [TaskState.Success, TaskState.Failed, TaskState.UpForRetry, TaskState.Skipped],

        // UpForRetry -> Failed: the run was stopped or timed out while the task waited for its retry.
        [TaskState.UpForRetry] = [TaskState.Scheduled, TaskState.Failed, TaskState.Removed],

        // Terminal states go back to None only when a user clears the task to run it again.
        [TaskState.Success] = [TaskState.None],
        [TaskState.Failed] = [TaskState.None],
        [TaskState.UpstreamFailed] = [TaskState.None],
        [TaskState.Skipped] = [TaskState.None],
        [TaskState.Removed] = [TaskState.None],
    };

    /// <summary>The first attempt number of a new task instance.</summary>
    public const int FirstAttempt = 1;

    public static bool IsLegal(TaskState from, TaskState to) => Legal[from].Contains(to);

    public static IReadOnlyList<TaskState> LegalTargets(TaskState from) => Legal[from];

    /// <summary>Plans a transition; throws <see cref="InvalidOperationException"/> when it is illegal.</summary>
    public static TaskTransition Plan(TaskState from, TaskState to, int attempt)
    {
        if (!IsLegal(from, to))
        {
            var allowed = string.Join(", ", Legal[from].Select(s => s.ToName()));
            throw new InvalidOperationException($"illegal task state transition {from.ToName()} -> {to.ToName()}; from {from.ToName()} only {allowed}");
        }

        var newChance = (from == TaskState.UpForRetry && to == TaskState.Scheduled) || (from.IsTerminal() && to == TaskState.None);
        return new TaskTransition(from, to, attempt, newChance ? attempt + 1 : attempt);
    }
}
