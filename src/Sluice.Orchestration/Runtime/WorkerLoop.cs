using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Execution;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// A worker: claims queued task instances (up to its free slots), runs each attempt with its executor, and reports
/// the outcome with a conditional update. See <see cref="TaskAttempt"/> for one attempt.
/// </summary>
public sealed class WorkerLoop(IMetadataStore store, DagCatalog catalog, TaskExecutors executors, OrchestrationSignals signals, TimeProvider time, OrchestrationOptions options)
{
    private readonly TaskAttempt _attempt = new(store, catalog, executors, time, options);

    public string Id => options.WorkerId;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var inflight = new HashSet<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                inflight.RemoveWhere(t => t.IsCompleted);
                var free = options.WorkerSlots - inflight.Count;
                var claimed = 0;
                if (free > 0)
                {
                    try
                    {
                        var tasks = await store.Runs.ClaimAsync(Id, free, cancellationToken);
                        claimed = tasks.Count;
                        foreach (var task in tasks)
                            inflight.Add(RunAndWakeAsync(task, cancellationToken));
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        options.Log($"worker {Id} could not claim tasks: {ex.Message}", ex);
                    }
                }

                // A full claim may have left more behind: claim again at once.
                if (claimed > 0 && claimed == free)
                    continue;
                await signals.Worker.WaitAsync(options.WorkerPoll, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(inflight);
    }

    /// <summary>Claims what is queued and runs it to the end; for tests that drive the loops by hand. Returns how many ran.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var tasks = await store.Runs.ClaimAsync(Id, options.WorkerSlots, cancellationToken);
        await Task.WhenAll(tasks.Select(t => _attempt.RunAsync(t, cancellationToken)));
        return tasks.Count;
    }

    private async Task RunAndWakeAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await _attempt.RunAsync(task, cancellationToken);
        }
        catch (Exception ex)
        {
            options.Log($"worker {Id}: task instance {task.Task.Id} ({task.Run.Dag}.{task.Task.TaskId}) could not be reported: {ex.Message}", ex);
        }
        finally
        {
            signals.Scheduler.Signal();
            signals.Worker.Signal();
        }
    }
}
