namespace Sluice.Engine.Pipeline;

/// <summary>Reports a sync's stats at a fixed interval while it runs, and once more when it ends.</summary>
internal sealed class ProgressPump : IDisposable
{
    private readonly StatsCounter _stats;
    private readonly SyncCallbacks _callbacks;
    private readonly ITimer _timer;

    public ProgressPump(StatsCounter stats, SyncCallbacks callbacks, TimeProvider time)
    {
        _stats = stats;
        _callbacks = callbacks;
        _timer = time.CreateTimer(_ => Report(), null, callbacks.ProgressInterval, callbacks.ProgressInterval);
    }

    private void Report()
    {
        try
        {
            _callbacks.Progress(_stats.Snapshot());
        }
        catch (Exception)
        {
            // A failing progress display must never fail the sync.
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Report();
    }
}
