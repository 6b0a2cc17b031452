using System.Text;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Engine.Evolution;
using Sluice.Engine.Pipeline;
using Sluice.Metadata;

namespace Sluice.Engine.Jobs;

/// <summary>
/// Runs a connection's sync job: attempts with backoff, state saved at each committed checkpoint, live stats and a
/// log per attempt in the metadata store. A failed attempt resumes from the last committed state.
/// </summary>
public sealed class SyncJobRunner(IMetadataStore store, ConnectionResolver resolver, SyncEngine engine, TimeProvider time)
{
    private readonly SchemaEvolution _schemas = new(store);

    public async Task<Job> RunAsync(Guid connectionId, SyncJobOptions options, Action<SyncStats>? progress, CancellationToken cancellationToken)
    {
        var job = await store.Jobs.CreateAsync(connectionId, JobKind.Sync, cancellationToken);
        return await RunJobAsync(job.Id, options, progress, cancellationToken);
    }

    /// <summary>
    /// Runs a job that was created Pending (by the API or the scheduler), or one a worker claimed from the queue
    /// (<paramref name="claim"/>): then every attempt and the end are written under the claim, and refused once the
    /// job was taken from this worker. Attempts count from those the job already had, so a job put back after its
    /// worker died gets a new attempt number and no more than <see cref="SyncJobOptions.MaxAttempts"/> in all.
    /// </summary>
    public async Task<Job> RunJobAsync(long jobId, SyncJobOptions options, Action<SyncStats>? progress, CancellationToken cancellationToken, JobClaim? claim = null)
    {
        var job = await store.Jobs.GetAsync(jobId, cancellationToken) ?? throw new NotFoundException("job", jobId.ToString());
        string? lastError = null;
        if (job.Attempts >= options.MaxAttempts)
            lastError = (await store.Jobs.ListAttemptsAsync(job.Id, cancellationToken)).LastOrDefault()?.Error ?? $"no attempts left ({job.Attempts} of {options.MaxAttempts})";
        for (var attempt = job.Attempts + 1; attempt <= options.MaxAttempts; attempt++)
        {
            var backoff = options.BackoffBefore(attempt);
            if (backoff > TimeSpan.Zero)
                await Task.Delay(backoff, time, cancellationToken);
            var outcome = await RunAttemptAsync(job, claim, progress, cancellationToken);
            if (outcome.Status == JobStatus.Succeeded)
            {
                await FinishAsync(job.Id, claim, JobStatus.Succeeded, null);
                return (await store.Jobs.GetAsync(job.Id, CancellationToken.None))!;
            }
            lastError = outcome.Error;
            if (outcome.Status == JobStatus.Cancelled || !outcome.Retryable)
                break;
        }
        var final = cancellationToken.IsCancellationRequested ? JobStatus.Cancelled : JobStatus.Failed;
        await FinishAsync(job.Id, claim, final, lastError);
        return (await store.Jobs.GetAsync(job.Id, CancellationToken.None))!;
    }

    private async Task FinishAsync(long jobId, JobClaim? claim, JobStatus status, string? error)
    {
        if (claim is null)
            await store.Jobs.FinishAsync(jobId, status, error, CancellationToken.None);
        else if (!await store.Jobs.FinishClaimedAsync(claim, status, error, CancellationToken.None))
            throw new JobClaimLostException(claim);
    }

    private async Task<(JobStatus Status, string? Error, bool Retryable)> RunAttemptAsync(Job job, JobClaim? claim, Action<SyncStats>? progress, CancellationToken cancellationToken)
    {
        var attempt = claim is null ? await store.Jobs.StartAttemptAsync(job.Id, cancellationToken) : await store.Jobs.StartClaimedAttemptAsync(claim, cancellationToken);
        var log = new AttemptLog(store, job.Id, attempt.Number, time);
        var lastStats = SyncStats.Empty;
        try
        {
            var resolved = await resolver.ResolveAsync(job.ConnectionId, cancellationToken);
            var checkedSchema = await _schemas.CheckAsync(resolved, job.Id, log.Write, cancellationToken);
            var connection = checkedSchema.Connection;
            var catalog = ConnectionNaming.Apply(connection,
                new ConfiguredCatalog(connection.Catalog.Streams.Where(s => !checkedSchema.Skipped.Contains(s.Descriptor)).ToList()));
            var state = await CommittedStateMerge.PrepareAsync(store, connection.Id, job.Id, resolved.Destination, resolved.DestinationConfig, catalog, log.Write, cancellationToken);
            log.Write($"attempt {attempt.Number} of job {job.Id}: {resolved.SourceActor.Name} ({resolved.Source.Name}) -> {resolved.DestinationActor.Name} ({resolved.Destination.Name}), {catalog.Streams.Count} stream(s)");
            var request = new SyncRequest
            {
                Source = resolved.Source,
                SourceConfig = resolved.SourceConfig,
                Destination = resolved.Destination,
                DestinationConfig = resolved.DestinationConfig,
                Catalog = catalog,
                State = state,
                SyncId = job.Id,
            };
            var lastSaved = DateTimeOffset.MinValue;
            var callbacks = new SyncCallbacks
            {
                CheckpointCommitted = async (checkpoint, ct) =>
                {
                    await store.State.SaveAsync(connection.Id, checkpoint with { Data = CommittedStateMerge.Stamp(checkpoint.Data, job.Id) }, ct);
                    log.Write($"checkpoint committed: {checkpoint.Stream?.ToString() ?? "global"} {checkpoint.Data.ToJsonString()} ({checkpoint.RecordCount} records)");
                },
                Progress = stats =>
                {
                    lastStats = stats;
                    progress?.Invoke(stats);
                    if (time.GetUtcNow() - lastSaved > TimeSpan.FromSeconds(1))
                    {
                        lastSaved = time.GetUtcNow();
                        _ = store.Jobs.UpdateAttemptStatsAsync(job.Id, attempt.Number, stats, CancellationToken.None);
                    }
                },
                Log = log.Write,
            };
            var stats = await engine.RunAsync(request, callbacks, cancellationToken);
            log.Write($"succeeded: {stats.RecordsRead} records, {stats.BytesRead / 1_048_576.0:F1} MB in {stats.ElapsedSeconds:F1} s ({stats.MegabytesPerSecond:F1} MB/s)");
            await log.FlushAsync();
            await store.Jobs.FinishAttemptAsync(job.Id, attempt.Number, JobStatus.Succeeded, stats, null, CancellationToken.None);
            return (JobStatus.Succeeded, null, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.Write("cancelled");
            await log.FlushAsync();
            await store.Jobs.FinishAttemptAsync(job.Id, attempt.Number, JobStatus.Cancelled, lastStats, "cancelled", CancellationToken.None);
            return (JobStatus.Cancelled, "cancelled", false);
        }
        catch (Exception e)
        {
            var message = ErrorText.Describe(e);
            log.Write($"failed: {message}");
            await log.FlushAsync();
            await store.Jobs.FinishAttemptAsync(job.Id, attempt.Number, JobStatus.Failed, lastStats, message, CancellationToken.None);
            return (JobStatus.Failed, message, e is not (ConfigException or NotFoundException or ConnectionPausedException));
        }
    }
}
