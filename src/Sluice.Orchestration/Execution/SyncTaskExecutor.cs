using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;

namespace Sluice.Orchestration.Execution;

/// <summary>Runs a connection's sync as a task: one sync job (with the job runner's own attempts), its id in the log.</summary>
public sealed class SyncTaskExecutor(IMetadataStore store, SyncJobRunner runner, TimeProvider time, SyncJobOptions? jobOptions = null) : ITaskExecutor
{
    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = (SyncTaskDefinition)context.Task;
        var workspaceId = await DagWorkspace.OfAsync(store, context.DagId, cancellationToken);
        if (await store.Connections.FindByNameAsync(workspaceId, task.Connection, cancellationToken) is not { } connection)
            return TaskOutcome.Failed($"connection '{task.Connection}' does not exist");
        Write(log, $"syncing connection '{connection.Name}'");
        var job = await runner.RunAsync(connection.Id, jobOptions ?? new SyncJobOptions { MaxAttempts = 1 }, null, cancellationToken);
        Write(log, $"sync job {job.Id}: {job.Status.ToString().ToLowerInvariant()}, {job.Stats.RecordsRead} records");
        return job.Status == JobStatus.Succeeded
            ? TaskOutcome.Succeeded($"sync job {job.Id}")
            : TaskOutcome.Failed($"sync job {job.Id} {job.Status.ToString().ToLowerInvariant()}: {job.Error}");
    }

    private void Write(ILogSink log, string text) => log.Write(new TaskLogLine(time.GetUtcNow(), TaskLogStream.System, text));
}
