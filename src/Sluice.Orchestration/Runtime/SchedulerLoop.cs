using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// The scheduler: creates due runs, advances task states by trigger rules, queues tasks within pools and limits,
/// retries, and ends runs. Several may run against one store; only the holder of the lease acts, and run creation
/// carries the lease's fencing token. Split into SchedulerLoop.Runs.cs (creating runs) and SchedulerLoop.Tasks.cs.
/// </summary>
public sealed partial class SchedulerLoop(IMetadataStore store, DagCatalog catalog, OrchestrationSignals signals, TimeProvider time, OrchestrationOptions options)
{
    private LeaseGrant? _lease;
    private DateTimeOffset _renewedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _connectionDagsAt = DateTimeOffset.MinValue;

    public string Id => options.SchedulerId;

    /// <summary>True while this scheduler holds an unexpired lease.</summary>
    public bool IsActive => _lease is { } lease && lease.ExpiresAt > time.GetUtcNow();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await TickAsync(cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    options.Log($"scheduler pass failed: {ex.Message}", ex);
                    if (ex is LeaseLostException)
                        _lease = null;
                }

                await signals.Scheduler.WaitAsync(options.SchedulerPoll, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_lease is not null)
                await store.Lease.ReleaseAsync(Id, CancellationToken.None);
        }
    }

    /// <summary>One pass; returns false when another scheduler holds the lease (and nothing was done).</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        if (!await HoldLeaseAsync(cancellationToken))
            return false;
        var now = time.GetUtcNow();
        if (now - _connectionDagsAt >= options.ConnectionDagsEvery)
        {
            await SyncConnectionDagsAsync(cancellationToken);
            _connectionDagsAt = now;
        }

        await CreateDueRunsAsync(_lease!.Token, cancellationToken);
        // Ending a run can make an event-triggered DAG due, and clearing upstream_failed chains can take more than one
        // pass: go round again (bounded) while something moved.
        for (var pass = 0; pass < 3 && await AdvanceAsync(cancellationToken); pass++)
        {
        }

        return true;
    }

    private async Task<bool> HoldLeaseAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lease is { } lease && lease.ExpiresAt > now && now - _renewedAt < options.LeaseRenewEvery)
            return true;
        var grant = await store.Lease.TryAcquireAsync(Id, options.LeaseDuration, cancellationToken);
        if (grant is not null && _lease?.Token != grant.Token)
            options.Log($"scheduler {Id} is now active (lease token {grant.Token})", null);
        _lease = grant;
        _renewedAt = now;
        return grant is not null;
    }
}
