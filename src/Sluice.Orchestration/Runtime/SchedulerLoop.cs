using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// The scheduler: creates due runs, advances task states by trigger rules, queues tasks within pools and limits,
/// retries, fails zombies, and ends runs. Several may run against one store; only the holder of the lease acts
/// (SchedulerLoop.Lease.cs), and every write that creates runs or moves tasks carries the lease's fencing token.
/// Split into SchedulerLoop.Runs.cs (creating runs) and SchedulerLoop.Tasks.cs (moving tasks).
/// </summary>
public sealed partial class SchedulerLoop(IMetadataStore store, DagCatalog catalog, OrchestrationSignals signals, TimeProvider time, OrchestrationOptions options)
{
    private DateTimeOffset _connectionDagsAt = DateTimeOffset.MinValue;
    private DateTimeOffset _silentJobsAt = DateTimeOffset.MinValue;

    public string Id => options.SchedulerId;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var background = new List<Task> { Task.Run(() => KeepLeaseAsync(stop.Token), CancellationToken.None) };
        if (options.Listen)
            background.Add(Task.Run(() => store.ListenAsync(StoreChannels.Scheduler, OnNotified,
                ex => options.Log($"scheduler {Id}: notification listener failed, reconnecting: {ex.Message}", null), stop.Token), CancellationToken.None));
        if (options.Register)
            background.Add(Task.Run(() => RegistryLoop.RunAsync(store, RegistryRecord(), () => WorkerRecord.Active, time, options, stop.Token), CancellationToken.None));
        options.Status($"scheduler {Id} ready");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_term is { IsOver: false } term)
                {
                    var started = time.GetTimestamp();
                    await PassAsync(term, cancellationToken);
                    await RestAfterAsync(time.GetElapsedTime(started), cancellationToken);
                }
                await signals.Scheduler.WaitAsync(options.SchedulerPoll, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(background);
            if (_term is { } last)
            {
                EndTerm(last, lost: false);
                await store.Lease.ReleaseAsync(Id, CancellationToken.None);
            }
            if (options.Register)
                await RegistryLoop.SayStoppedAsync(store, Id, options);
        }
    }

    /// <summary>
    /// Every batch of ended attempts wakes the scheduler, so with busy workers it would go from one pass to the next and
    /// take a core (its own and the database's) from the workers. After each pass it rests four times as long as the
    /// pass took (at most one poll interval): the scheduler and its queries hold at most a fifth of the time, whatever
    /// the DAGs. A small DAG's pass takes a millisecond or two, so its downstream tasks are still queued within a few
    /// milliseconds; a pass over a run of tens of thousands of tasks rests tens of milliseconds.
    /// </summary>
    private async Task RestAfterAsync(TimeSpan pass, CancellationToken cancellationToken)
    {
        var rest = pass * 4;
        await Task.Delay(rest < options.SchedulerPoll ? rest : options.SchedulerPoll, time, cancellationToken);
    }

    /// <summary>One pass; returns false when another scheduler holds the lease (and nothing was done).</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        if (await RenewAsync(cancellationToken) is not { } term)
            return false;
        await PassAsync(term, cancellationToken);
        return true;
    }

    private async Task PassAsync(Term term, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, term.Over);
        try
        {
            await ActAsync(term, linked.Token);
        }
        catch (LeaseLostException ex)
        {
            options.Log($"scheduler {Id}: {ex.Message}", null);
            EndTerm(term, lost: true);
        }
        catch (OperationCanceledException) when (term.IsOver && !cancellationToken.IsCancellationRequested)
        {
            // The lease ran out mid-pass: whatever was not written yet is left to the next active scheduler.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            options.Log($"scheduler pass failed: {ex.Message}", ex);
        }
    }

    private async Task ActAsync(Term term, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _connectionDagsAt >= options.ConnectionDagsEvery)
        {
            term.Fence();
            await SyncConnectionDagsAsync(cancellationToken);
            _connectionDagsAt = now;
        }

        if (now - _silentJobsAt >= TimeSpan.FromSeconds(1))
        {
            // Sync jobs claimed by a worker that went silent go back to the queue (or fail, when a DAG task owns them).
            foreach (var job in await store.Jobs.RequeueSilentAsync(options.ZombieAfter, term.Fence(), cancellationToken))
                options.Log($"zombie: sync job {job} lost its worker (no heartbeat for {Durations.Format(options.ZombieAfter)}); its attempt failed, a queued job is put back for another worker, a DAG task's job ends failed", null);
            _silentJobsAt = now;
        }

        await CreateDueRunsAsync(term, cancellationToken);
        // Ending a run can make an event-triggered DAG due, and clearing upstream_failed chains can take more than one
        // pass: go round again (bounded) while something moved.
        for (var pass = 0; pass < 3 && await AdvanceAsync(term, cancellationToken); pass++)
        {
        }
    }

    private void OnNotified(string payload)
    {
        if (payload == StoreChannels.LeaseReleased)
            _leaseReleased.Signal();
        else
            signals.Scheduler.Signal();
    }

    private WorkerRecord RegistryRecord() => new()
    {
        Id = Id, Kind = WorkerRecord.SchedulerKind, Host = Environment.MachineName, Pid = Environment.ProcessId,
    };
}
