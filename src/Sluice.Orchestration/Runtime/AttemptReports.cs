using System.Threading.Channels;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// The reports of one worker's ended attempts, written together: while one batch is being written the next gathers,
/// so a busy worker pays one commit and one notification for several attempts, an idle one reports each at once.
/// Every report is still conditional on its own row (running at its attempt), so a lost worker changes nothing.
/// </summary>
internal sealed class AttemptReports(IMetadataStore store, TimeProvider time, OrchestrationOptions options)
{
    // Bounds one transaction; a worker rarely has more attempts than this ending at once.
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private volatile bool _running;
    private Action? _wakeClaims;

    /// <summary>
    /// A worker whose claims carry the reports (one statement per cycle, not two): a queued report wakes it with
    /// <paramref name="wake"/> and waits for its next claim (<see cref="TakeQueued"/>), or for this loop once running.
    /// </summary>
    public void CarryWithClaims(Action wake) => _wakeClaims = wake;

    /// <summary>Returns whether the report was applied (false: the task moved on without this worker).</summary>
    public async Task<bool> ReportAsync(TaskStateChange report)
    {
        var pending = new Pending(report, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);
        if (_wakeClaims is { } wake)
            wake();
        // No loop running (stopped, or a test driving the worker by hand): the caller writes what is queued itself.
        else if (!_running)
            await WriteQueuedAsync();
        return await pending.Done.Task;
    }

    /// <summary>Writes reports until cancelled; what is queued by then is still written (a stopping worker reports what happened).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _running = true;
        var batch = new List<Pending>(MaxBatch);
        while (true)
        {
            try
            {
                await _queue.Reader.WaitToReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _running = false;
                await WriteQueuedAsync();
                return;
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                batch.Add(next);
            if (batch.Count > 0)
                await WriteAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>What is queued (up to a batch), for the caller to write with its claim and then <see cref="Complete"/>.</summary>
    public List<Pending> TakeQueued()
    {
        var batch = new List<Pending>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            batch.Add(next);
        return batch;
    }

    /// <summary>Tells the reports of <paramref name="batch"/> whether they were applied (the ids the store changed).</summary>
    public static void Complete(List<Pending> batch, IReadOnlySet<long> applied)
    {
        foreach (var pending in batch)
            pending.Done.TrySetResult(applied.Contains(pending.Report.TaskInstanceId));
    }

    private async Task WriteQueuedAsync()
    {
        var batch = new List<Pending>();
        while (_queue.Reader.TryRead(out var next))
            batch.Add(next);
        if (batch.Count > 0)
            await WriteAsync(batch);
    }

    // Not on the worker's token: a worker shutting down still reports what happened. A store out of reach for a moment
    // is tried again; for longer, the attempts become zombies and the scheduler retries them.
    public async Task WriteAsync(List<Pending> batch)
    {
        for (var tryNumber = 1; ; tryNumber++)
        {
            try
            {
                Complete(batch, await store.Runs.ReportManyAsync(batch.Select(p => p.Report).ToList(), CancellationToken.None));
                return;
            }
            catch (Exception ex) when (tryNumber < 5)
            {
                options.Log($"worker {options.WorkerId}: could not report {batch.Count} ended attempt(s) ({ex.Message}); trying again", null);
                await Task.Delay(TimeSpan.FromSeconds(tryNumber), time);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                    pending.Done.TrySetException(ex);
                return;
            }
        }
    }

    public sealed record Pending(TaskStateChange Report, TaskCompletionSource<bool> Done);
}
