namespace Sluice.Metadata.Orchestration;

/// <summary>
/// One task of one DAG run. <see cref="Attempt"/> is the fencing number every state change is conditioned on;
/// <see cref="TryNumber"/> counts the tries since the task was created or last cleared (for retries).
/// </summary>
public sealed record TaskInstanceRecord
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public required string TaskId { get; init; }
    public required string State { get; init; }
    public int Attempt { get; init; }
    public int TryNumber { get; init; }
    public string Pool { get; init; } = "default";
    /// <summary>Only workers serving this queue claim the task.</summary>
    public string Queue { get; init; } = "default";
    public int Priority { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? WorkerId { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }
    public DateTimeOffset? NextRetryAt { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// A conditional state change: applied only when the row is still in <see cref="FromState"/> at
/// <see cref="ExpectedAttempt"/>, so a stale writer changes nothing. Entering queued, running or an end state stamps
/// the matching time; entering <c>none</c> (a clear) forgets the previous try.
/// </summary>
public sealed record TaskStateChange(long TaskInstanceId, string FromState, int ExpectedAttempt, string ToState, int NewAttempt)
{
    public DateTimeOffset? NextRetryAt { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    /// <summary>
    /// Set by the scheduler: the change is refused with <see cref="LeaseLostException"/> unless the scheduler lease
    /// still has this token, so a deposed scheduler cannot queue, retry or fail tasks.
    /// </summary>
    public long? FencingToken { get; init; }
    /// <summary>
    /// Log text appended to the expected attempt's log in the same transaction, whether or not the change applies: a
    /// worker's report carries the attempt's last lines, so ending a task costs one commit, not two.
    /// </summary>
    public string? AppendLog { get; init; }
    /// <summary>
    /// Set for a zombie decision: applied only while the row's heartbeat is older than this, so a decision made from
    /// a read that a worker's heartbeat has since overtaken (a slow pass, a loaded machine) does not fail a live attempt.
    /// </summary>
    public DateTimeOffset? HeartbeatBefore { get; init; }
}

/// <summary>A task instance claimed by a worker, with what it needs to run it.</summary>
public sealed record ClaimedTask(TaskInstanceRecord Task, DagRunRecord Run);

/// <summary>What a worker's report-and-claim did: the reports applied (task instance ids) and the tasks it claimed.</summary>
public sealed record ReportedAndClaimed(IReadOnlySet<long> Applied, IReadOnlyList<ClaimedTask> Claimed);

/// <summary>A pool: how many tasks in it may be queued or running at once, across all DAGs.</summary>
public sealed record PoolRecord(string Name, int Slots);

/// <summary>The scheduler lease as held: <see cref="Token"/> grows whenever the holder changes.</summary>
public sealed record LeaseGrant(string Holder, long Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The answer to a try for the lease: the grant, or (when another scheduler holds it) how much longer its lease runs
/// by the database's clock, so a standby can try again right when it runs out.
/// </summary>
public sealed record LeaseAttempt(LeaseGrant? Grant, TimeSpan HeldFor);
