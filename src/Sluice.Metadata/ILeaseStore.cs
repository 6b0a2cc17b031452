using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>The scheduler lease: one row naming the active scheduler, with a fencing token and an expiry.</summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease when it is free or expired (the token grows), or renews it when <paramref name="holder"/> holds
    /// it (same token); null when someone else holds an unexpired lease.
    /// </summary>
    Task<LeaseGrant?> TryAcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="TryAcquireAsync"/>; when refused, also how long the holder's lease still runs.</summary>
    Task<LeaseAttempt> AcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default);
    /// <summary>Lets a standby take over at once (on clean shutdown); the standbys are notified (<see cref="StoreChannels.LeaseReleased"/>).</summary>
    Task ReleaseAsync(string holder, CancellationToken cancellationToken = default);
    Task<LeaseGrant> CurrentAsync(CancellationToken cancellationToken = default);
}
