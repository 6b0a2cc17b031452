using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>The registry of worker and scheduler processes: who is there, what they serve, when they last spoke.</summary>
public interface IWorkerStore
{
    /// <summary>Adds the process, or starts it afresh when its id is known (a restart): active, heartbeat now.</summary>
    Task RegisterAsync(WorkerRecord worker, CancellationToken cancellationToken = default);
    /// <summary>Refreshes the heartbeat and sets <paramref name="state"/>; false when the id is not registered.</summary>
    Task<bool> HeartbeatAsync(string id, string state, CancellationToken cancellationToken = default);
    /// <summary>Every registered process, workers and schedulers, by kind then id, with its running tasks.</summary>
    Task<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken = default);
}
