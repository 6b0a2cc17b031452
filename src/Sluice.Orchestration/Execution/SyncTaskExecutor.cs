using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs a connection's sync as a task: one sync job (with the job runner's own attempts), its id in the log. The job
/// is held by this worker and heartbeated with the attempt, so a worker that dies mid-sync leaves no job running: the
/// scheduler fails the job when it fails the silent attempt. A refused job heartbeat (the job was failed meanwhile)
/// stops the sync; a cancel asked for through the API stops it as cancelled. The job counts as taken only when the
/// runner's own writes under the claim are refused: a heartbeat that lands just after the runner ended the job is
/// refused too, and must not turn a finished sync into a lost one.
/// </summary>
public sealed class SyncTaskExecutor(IMetadataStore store, SyncJobRunner runner, TimeProvider time, OrchestrationOptions options, SyncJobOptions? jobOptions = null)
    : ITaskExecutor
{
    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = (SyncTaskDefinition)context.Task;
        var workspaceId = await DagWorkspace.OfAsync(store, context.DagId, cancellationToken);
        if (await store.Connections.FindByNameAsync(workspaceId, task.Connection, cancellationToken) is not { } connection)
            return TaskOutcome.Failed($"connection '{task.Connection}' does not exist");
        var claim = await store.Jobs.CreateHeldAsync(connection.Id, options.WorkerId, cancellationToken);
        Write(log, $"syncing connection '{connection.Name}' as sync job {claim.JobId}");
        using var sync = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var beats = new CancellationTokenSource();
        var lost = false;
        var heartbeat = HeartbeatAsync(claim, log, sync, beats.Token);
        Job job;
        try
        {
            job = await runner.RunJobAsync(claim.JobId, jobOptions ?? new SyncJobOptions { MaxAttempts = 1 }, null, sync.Token, claim);
        }
        catch (JobClaimLostException)
        {
            lost = true;
            job = (await store.Jobs.GetAsync(claim.JobId, CancellationToken.None))!;
        }
        finally
        {
            await beats.CancelAsync();
            await heartbeat;
        }

        if (lost)
            return TaskOutcome.Failed($"sync job {job.Id} was taken from this worker ({job.Status.ToString().ToLowerInvariant()}: {job.Error})");
        Write(log, $"sync job {job.Id}: {job.Status.ToString().ToLowerInvariant()}, {job.Stats.RecordsRead} records");
        return job.Status == JobStatus.Succeeded
            ? TaskOutcome.Succeeded($"sync job {job.Id}")
            : TaskOutcome.Failed($"sync job {job.Id} {job.Status.ToString().ToLowerInvariant()}: {job.Error}");
    }

    private async Task HeartbeatAsync(JobClaim claim, ILogSink log, CancellationTokenSource sync, CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatEvery, time, stop);
                switch (await store.Jobs.HeartbeatAsync(claim, stop))
                {
                    case JobClaimState.Lost:
                        Write(log, $"heartbeat of sync job {claim.JobId} refused (the job ended, or this worker was declared dead); the sync stops");
                        await sync.CancelAsync();
                        return;
                    case JobClaimState.CancelRequested:
                        Write(log, $"sync job {claim.JobId} is cancelled on request");
                        await sync.CancelAsync();
                        return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store out of reach for a moment: the next heartbeat says whether the job is still ours.
                Write(log, $"heartbeat of sync job {claim.JobId} failed: {ex.Message}");
            }
        }
    }

    private void Write(ILogSink log, string text) => log.Write(new TaskLogLine(time.GetUtcNow(), TaskLogStream.System, text));
}
