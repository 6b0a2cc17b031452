using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Hosting;

namespace Sluice.Server.Jobs;

/// <summary>
/// Sync jobs requested through the API. Standalone (<see cref="SluiceOptions.RunJobs"/>) runs them inside this process,
/// a few at a time: jobs are created Pending in the store first, so a restart picks up what was queued; an attempt
/// left Running by a crash is failed and retried. A distributed server only queues them in the store, where the
/// workers claim them (JobWorkerLoop), so the server keeps no state of its own.
/// </summary>
public sealed class JobQueue(IMetadataStore store, SyncJobRunner runner, SluiceOptions options, ILogger<JobQueue> logger) : BackgroundService
{
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();

    public int Concurrency { get; init; } = 2;
    public SyncJobOptions JobOptions { get; init; } = new();

    public async Task<Job> EnqueueAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (!options.RunJobs)
            return await store.Jobs.EnqueueAsync(connectionId, cancellationToken);
        var job = await store.Jobs.CreateAsync(connectionId, JobKind.Sync, cancellationToken);
        await _queue.Writer.WriteAsync(job.Id, cancellationToken);
        return job;
    }

    /// <summary>
    /// Cancels a job: one running in this process at once; in a distributed install, a waiting one at once and a
    /// claimed one by its worker at its next heartbeat. False when there is nothing to cancel.
    /// </summary>
    public async Task<bool> CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(jobId, out var cts))
        {
            await cts.CancelAsync();
            return true;
        }
        return !options.RunJobs && await store.Jobs.RequestCancelAsync(jobId, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunJobs)
            return;
        await RecoverAsync(stoppingToken);
        var workers = Enumerable.Range(0, Concurrency).Select(_ => WorkAsync(stoppingToken)).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running jobs were cancelled and recorded as such.
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var job in await store.Jobs.ListAsync(null, 500, null, cancellationToken))
        {
            if (job.Status is JobStatus.Pending or JobStatus.Running)
            {
                logger.LogInformation("resuming job {JobId} left {Status} by a previous run", job.Id, job.Status);
                await _queue.Writer.WriteAsync(job.Id, cancellationToken);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[jobId] = cts;
            try
            {
                var job = await runner.RunJobAsync(jobId, JobOptions, null, cts.Token);
                logger.LogInformation("job {JobId} {Status}: {Records} records", job.Id, job.Status, job.Stats.RecordsRead);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "job {JobId} could not run", jobId);
            }
            finally
            {
                _running.TryRemove(jobId, out _);
            }
        }
    }
}
