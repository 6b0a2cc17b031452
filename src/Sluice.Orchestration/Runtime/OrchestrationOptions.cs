namespace Sluice.Orchestration.Runtime;

/// <summary>Timings and sizes of the scheduler and worker loops.</summary>
public sealed record OrchestrationOptions
{
    /// <summary>Longest the scheduler sleeps between passes when nothing wakes it (it also renews the lease then).</summary>
    public TimeSpan SchedulerPoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease lasts without renewal: a standby takes over this long after the active scheduler died.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaseRenewEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest a standby waits between tries for the lease. It also tries right when the holder's lease runs out and
    /// when the holder releases it, so this only bounds how stale its view can get (a try is one cheap statement).
    /// </summary>
    public TimeSpan StandbyPoll { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest a worker sleeps between claims when nothing wakes it (another process may have queued work).</summary>
    public TimeSpan WorkerPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many task attempts one worker runs at once.</summary>
    public int WorkerSlots { get; init; } = 8;

    /// <summary>How many queued sync jobs (asked for through the API) one distributed worker runs at once; 0 claims none.</summary>
    public int JobSlots { get; init; } = 2;

    /// <summary>Attempts and backoff of a queued sync job, counted over every worker that ran it.</summary>
    public Engine.Jobs.SyncJobOptions JobRetries { get; init; } = new();

    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A running attempt without a heartbeat for this long is a zombie: the scheduler fails (or retries) it.</summary>
    public TimeSpan ZombieAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the scheduler turns scheduled connections into their one-task DAGs.</summary>
    public TimeSpan ConnectionDagsEvery { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LogFlushEvery { get; init; } = TimeSpan.FromMilliseconds(300);

    public string SchedulerId { get; init; } = $"scheduler-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public string WorkerId { get; init; } = $"worker-{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How long an active scheduler keeps acting after its last successful renewal (measured from when it sent the
    /// renewal). Shorter than <see cref="LeaseDuration"/>, so it stops before any other scheduler can see the lease
    /// expired, even if its renewals hang; null uses two thirds of the lease.
    /// </summary>
    public TimeSpan? LeaseActFor { get; init; }

    public TimeSpan ActFor => LeaseActFor ?? LeaseDuration * 2 / 3;

    /// <summary>The queues this worker claims from; empty for every queue.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>Free-form key=value labels a worker registers with (shown in the workers list).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How long a stopping (draining) worker lets its running attempts finish before it stops them and hands them
    /// back to the queue.
    /// </summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often workers and schedulers refresh their row in the registry.</summary>
    public TimeSpan RegistryEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the loops write themselves into the worker registry (the distributed processes do).</summary>
    public bool Register { get; init; }

    /// <summary>Whether the loops LISTEN for the store's notifications (the distributed processes do).</summary>
    public bool Listen { get; init; }

    /// <summary>The one-line status messages tests and operators read (ready, active, lost the lease); stdout by default.</summary>
    public Action<string> Status { get; init; } = _ => { };

    /// <summary>Where the loops report errors they survive (the host wires its logger here).</summary>
    public Action<string, Exception?> Log { get; init; } = (_, _) => { };
}
