namespace Sluice.Orchestration.Tasks;

/// <summary>The life cycle of one task instance in one DAG run (Airflow's states).</summary>
public enum TaskState
{
    /// <summary>Created with the run; the scheduler has not decided anything yet.</summary>
    None,
    Scheduled,
    Queued,
    Running,
    Success,
    Failed,
    UpForRetry,
    UpstreamFailed,
    Skipped,

    /// <summary>The task no longer exists in the DAG's current definition.</summary>
    Removed,
}

public static class TaskStates
{
    private static readonly Dictionary<TaskState, string> NamesByState = new()
    {
        [TaskState.None] = "none",
        [TaskState.Scheduled] = "scheduled",
        [TaskState.Queued] = "queued",
        [TaskState.Running] = "running",
        [TaskState.Success] = "success",
        [TaskState.Failed] = "failed",
        [TaskState.UpForRetry] = "up_for_retry",
        [TaskState.UpstreamFailed] = "upstream_failed",
        [TaskState.Skipped] = "skipped",
        [TaskState.Removed] = "removed",
    };

    private static readonly Dictionary<string, TaskState> StatesByName =
        NamesByState.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The stable snake_case name used in the metadata store, the API and logs.</summary>
    public static string ToName(this TaskState state) => NamesByState[state];

    public static bool TryParse(string name, out TaskState state) => StatesByName.TryGetValue(name, out state);

    /// <summary>Finished: nothing will happen to the task in this run unless it is cleared.</summary>
    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Success or TaskState.Failed or TaskState.UpstreamFailed or TaskState.Skipped or TaskState.Removed;
}
