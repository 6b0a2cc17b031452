namespace Sluice.Metadata;

/// <summary>The notification channels the store sends on when a transaction commits (PostgreSQL only).</summary>
public static class StoreChannels
{
    /// <summary>A task was queued; the payload is its queue. Workers listen.</summary>
    public const string Tasks = "sluice_tasks";

    /// <summary>A task attempt ended. The scheduler listens, so the next task of a chain starts without waiting for a poll.</summary>
    public const string Scheduler = "sluice_scheduler";

    /// <summary>The payload on <see cref="Scheduler"/> when the active scheduler released the lease: standbys try at once.</summary>
    public const string LeaseReleased = "lease-released";

    /// <summary>A sync job is waiting for a worker (asked for through the API, or put back after its worker died). Workers listen.</summary>
    public const string Jobs = "sluice_jobs";
}
