namespace Sluice.Orchestration.Runtime;

/// <summary>Timings and sizes of the scheduler and worker loops.</summary>
public sealed record OrchestrationOptions
{
    /// <summary>Longest the scheduler sleeps between passes when nothing wakes it (it also renews the lease then).</summary>
    public TimeSpan SchedulerPoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease lasts without renewal: a standby takes over this long after the active scheduler died.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaseRenewEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a worker sleeps between claims when nothing wakes it (another process may have queued work).</summary>
    public TimeSpan WorkerPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many task attempts one worker runs at once.</summary>
    public int WorkerSlots { get; init; } = 8;

    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A running attempt without a heartbeat for this long is a zombie: the scheduler fails (or retries) it.</summary>
    public TimeSpan ZombieAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the scheduler turns scheduled connections into their one-task DAGs.</summary>
    public TimeSpan ConnectionDagsEvery { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LogFlushEvery { get; init; } = TimeSpan.FromMilliseconds(300);

    public string SchedulerId { get; init; } = $"scheduler-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public string WorkerId { get; init; } = $"worker-{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Where the loops report errors they survive (the host wires its logger here).</summary>
    public Action<string, Exception?> Log { get; init; } = (_, _) => { };
}
