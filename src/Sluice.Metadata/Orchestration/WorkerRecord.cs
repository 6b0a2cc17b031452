namespace Sluice.Metadata.Orchestration;

/// <summary>
/// A worker or scheduler process in the registry. <see cref="State"/> is what the process last said (active,
/// draining, stopped); one that died says nothing more, so readers judge it by <see cref="LastHeartbeat"/>.
/// </summary>
public sealed record WorkerRecord
{
    public const string WorkerKind = "worker";
    public const string SchedulerKind = "scheduler";
    public const string Active = "active";
    public const string Draining = "draining";
    public const string Stopped = "stopped";

    public required string Id { get; init; }
    public string Kind { get; init; } = WorkerKind;
    public required string Host { get; init; }
    public int Pid { get; init; }
    public int Slots { get; init; }
    public IReadOnlyList<string> Queues { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset LastHeartbeat { get; init; }
    public string State { get; init; } = Active;
    /// <summary>Task attempts running on it now (read from the task instances, not stored).</summary>
    public int RunningTasks { get; init; }
    /// <summary>Queued sync jobs (asked for through the API) it runs now; a DAG's sync task counts as a task, not here.</summary>
    public int RunningSyncJobs { get; init; }
}
