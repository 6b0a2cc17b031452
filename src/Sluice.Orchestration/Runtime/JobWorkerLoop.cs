using Sluice.Engine.Jobs;
using Sluice.Metadata;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// The sync-job side of a distributed worker: claims the jobs asked for through the API from the store's queue (up
/// to <see cref="OrchestrationOptions.JobSlots"/> at once), heartbeats each claim, and runs it with the job runner.
/// A refused heartbeat means the job was taken away (this worker was declared dead): the run stops and writes
/// nothing more. A cancel request stops it as cancelled. Stopping drains: no new claims, running jobs get
/// <see cref="OrchestrationOptions.DrainGrace"/>, then are handed back to the queue for another worker.
/// </summary>
public sealed class JobWorkerLoop(IMetadataStore store, SyncJobRunner runner, OrchestrationSignals signals, TimeProvider time, OrchestrationOptions options)
{
    public string Id => options.WorkerId;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.JobSlots == 0)
            return;
        using var background = new CancellationTokenSource();
        using var abandon = new CancellationTokenSource();
        var listener = options.Listen
            ? Task.Run(() => store.ListenAsync(StoreChannels.Jobs, _ => signals.Jobs.Signal(),
                ex => options.Log($"worker {Id}: job notification listener failed, reconnecting: {ex.Message}", null), background.Token), CancellationToken.None)
            : Task.CompletedTask;
        var inflight = new HashSet<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                inflight.RemoveWhere(t => t.IsCompleted);
                var free = options.JobSlots - inflight.Count;
                if (free > 0)
                {
                    try
                    {
                        foreach (var claim in await store.Jobs.ClaimAsync(Id, free, cancellationToken))
                            inflight.Add(RunClaimAsync(claim, abandon.Token));
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        options.Log($"worker {Id} could not claim sync jobs: {ex.Message}", ex);
                    }
                }
                await signals.Jobs.WaitAsync(options.WorkerPoll, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        inflight.RemoveWhere(t => t.IsCompleted);
        var all = Task.WhenAll(inflight);
        if (inflight.Count > 0 && await Task.WhenAny(all, Task.Delay(options.DrainGrace, time)) != all)
            await abandon.CancelAsync();
        await all;
        await background.CancelAsync();
        await listener;
    }

    private async Task RunClaimAsync(JobClaim claim, CancellationToken abandon)
    {
        await Task.Yield();
        using var stop = new CancellationTokenSource();
        var lost = false;
        using var handBack = abandon.Register(() => _ = HandBackAsync(claim, stop));
        var heartbeat = HeartbeatAsync(claim, () => lost = true, stop);
        try
        {
            options.Log($"worker {Id}: running sync job {claim.JobId} (claim {claim.Number})", null);
            var job = await runner.RunJobAsync(claim.JobId, options.JobRetries, null, stop.Token, claim);
            options.Log($"worker {Id}: sync job {job.Id} {job.Status.ToString().ToLowerInvariant()}, {job.Stats.RecordsRead} records", null);
        }
        catch (Exception ex)
        {
            options.Log(lost || ex is JobClaimLostException
                ? $"worker {Id}: sync job {claim.JobId} was taken from this worker; stopped without reporting"
                : $"worker {Id}: sync job {claim.JobId} could not run: {ex.Message}", ex is JobClaimLostException ? null : ex);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Out of drain time: the job goes back to the queue first, so nothing this worker writes after counts.</summary>
    private async Task HandBackAsync(JobClaim claim, CancellationTokenSource stop)
    {
        try
        {
            await store.Jobs.HandBackAsync(claim, $"worker {Id} stopped (drain grace over); the job is handed back to the queue", CancellationToken.None);
        }
        catch (Exception ex)
        {
            options.Log($"worker {Id}: could not hand back sync job {claim.JobId} ({ex.Message}); it is put back once its heartbeat is old", null);
        }
        try
        {
            await stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task HeartbeatAsync(JobClaim claim, Action onLost, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatEvery, time, stop.Token);
                switch (await store.Jobs.HeartbeatAsync(claim, stop.Token))
                {
                    case JobClaimState.Lost:
                        options.Log($"worker {Id}: heartbeat of sync job {claim.JobId} refused (declared dead or ended elsewhere); abandoning it", null);
                        onLost();
                        await stop.CancelAsync();
                        return;
                    case JobClaimState.CancelRequested:
                        options.Log($"worker {Id}: sync job {claim.JobId} is cancelled on request", null);
                        await stop.CancelAsync();
                        return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store out of reach: keep trying; when it answers it says whether the job is still ours.
                options.Log($"heartbeat of sync job {claim.JobId} failed: {ex.Message}", null);
            }
        }
    }
}
