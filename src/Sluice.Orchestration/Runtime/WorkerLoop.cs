using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Execution;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// A worker: claims queued task instances of its queues (up to its free slots), runs each attempt with its executor,
/// and reports the outcome with a conditional update. Stopping drains it: no new claims, running attempts get
/// <see cref="OrchestrationOptions.DrainGrace"/> to finish, what is left is stopped and handed back to the queue.
/// See <see cref="TaskAttempt"/> for one attempt.
/// </summary>
public sealed class WorkerLoop(IMetadataStore store, DagCatalog catalog, TaskExecutors executors, OrchestrationSignals signals, TimeProvider time, OrchestrationOptions options)
{
    private readonly TaskAttempt _attempt = new(store, catalog, executors, new AttemptHeartbeats(store, time, options), new AttemptReports(store, time, options), time, options);
    private volatile bool _draining;
    // Attempts holding a slot: claimed and not yet ended (an ended attempt waiting for its report holds none).
    private int _executing;

    public string Id => options.WorkerId;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var background = new CancellationTokenSource();
        using var abandon = new CancellationTokenSource();
        var helpers = new List<Task> { Task.Run(() => _attempt.Heartbeats.RunAsync(background.Token), CancellationToken.None) };
        // While this loop claims, each claim carries the reports of the attempts that ended since the last one (one
        // statement per cycle); once it stops claiming, the reports loop writes them.
        _attempt.Reports.CarryWithClaims(signals.Worker.Signal);
        if (options.Listen)
            helpers.Add(Task.Run(() => store.ListenAsync(StoreChannels.Tasks, OnQueued,
                ex => options.Log($"worker {Id}: notification listener failed, reconnecting: {ex.Message}", null), background.Token), CancellationToken.None));
        if (options.Register)
            helpers.Add(Task.Run(() => RegistryLoop.RunAsync(store, RegistryRecord(), () => _draining ? WorkerRecord.Draining : WorkerRecord.Active, time, options,
                background.Token), CancellationToken.None));
        options.Status($"worker {Id} ready");

        var inflight = new HashSet<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                inflight.RemoveWhere(t => t.IsCompleted);
                var free = Math.Max(0, options.WorkerSlots - Volatile.Read(ref _executing));
                var reports = _attempt.Reports.TakeQueued();
                var claimed = 0;
                if (free > 0 || reports.Count > 0)
                {
                    try
                    {
                        var done = await store.Runs.ReportAndClaimAsync(reports.Select(r => r.Report).ToList(), Id, free, options.Queues, cancellationToken);
                        AttemptReports.Complete(reports, done.Applied);
                        claimed = done.Claimed.Count;
                        foreach (var task in done.Claimed)
                        {
                            Interlocked.Increment(ref _executing);
                            inflight.Add(RunAndWakeAsync(task, abandon.Token));
                        }
                    }
                    catch (Exception ex)
                    {
                        // The reports are written on their own, tried again as the reports loop would (each stays conditional).
                        if (reports.Count > 0)
                            helpers.Add(_attempt.Reports.WriteAsync(reports));
                        if (cancellationToken.IsCancellationRequested)
                            throw;
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

        helpers.Add(Task.Run(() => _attempt.Reports.RunAsync(background.Token), CancellationToken.None));
        await DrainAsync(inflight, abandon);
        await background.CancelAsync();
        await Task.WhenAll(helpers);
        if (options.Register)
            await RegistryLoop.SayStoppedAsync(store, Id, options);
        options.Status($"worker {Id} stopped");
    }

    /// <summary>Claims what is queued and runs it to the end; for tests that drive the loops by hand. Returns how many ran.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var tasks = await store.Runs.ClaimAsync(Id, options.WorkerSlots, options.Queues, cancellationToken);
        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(() => _attempt.Heartbeats.RunAsync(stop.Token), CancellationToken.None);
        var reports = Task.Run(() => _attempt.Reports.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            await Task.WhenAll(tasks.Select(t => _attempt.RunAsync(t, cancellationToken)));
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
            await reports;
        }
        return tasks.Count;
    }

    private async Task DrainAsync(HashSet<Task> inflight, CancellationTokenSource abandon)
    {
        _draining = true;
        inflight.RemoveWhere(t => t.IsCompleted);
        options.Status($"worker {Id} draining ({inflight.Count} running, grace {Durations.Format(options.DrainGrace)})");
        if (options.Register)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await store.Workers.HeartbeatAsync(Id, WorkerRecord.Draining, timeout.Token);
            }
            catch (Exception ex)
            {
                options.Log($"worker {Id} could not mark itself draining: {ex.Message}", null);
            }
        }

        var all = Task.WhenAll(inflight);
        if (inflight.Count > 0 && await Task.WhenAny(all, Task.Delay(options.DrainGrace, time)) != all)
        {
            options.Log($"worker {Id}: grace period over, handing back {inflight.Count(t => !t.IsCompleted)} running task(s)", null);
            await abandon.CancelAsync();
        }
        await all;
    }

    private void OnQueued(string queue)
    {
        if (queue.Length == 0 || options.Queues.Count == 0 || options.Queues.Contains(queue))
            signals.Worker.Signal();
    }

    private async Task RunAndWakeAsync(ClaimedTask task, CancellationToken abandon)
    {
        var released = 0;
        void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Interlocked.Decrement(ref _executing);
                signals.Worker.Signal();
            }
        }

        try
        {
            await Task.Yield();
            await _attempt.RunAsync(task, abandon, Release);
        }
        catch (Exception ex)
        {
            options.Log($"worker {Id}: task instance {task.Task.Id} ({task.Run.Dag}.{task.Task.TaskId}) could not be reported: {ex.Message}", ex);
        }
        finally
        {
            Release();
            signals.Scheduler.Signal();
            signals.Worker.Signal();
        }
    }

    private WorkerRecord RegistryRecord() => new()
    {
        Id = Id, Kind = WorkerRecord.WorkerKind, Host = Environment.MachineName, Pid = Environment.ProcessId, Slots = options.WorkerSlots,
        Queues = options.Queues.Count == 0 ? ["*"] : options.Queues, Labels = options.Labels,
    };
}
