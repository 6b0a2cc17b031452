using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>A metadata store (a fresh SQLite file unless given) with the scheduler and worker of one process around it.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private Harness(IMetadataStore store, TimeProvider time, OrchestrationOptions options, string? directory)
    {
        Store = store;
        Time = time;
        _directory = directory;
        Options = options;
        Catalog = new DagCatalog(store);
        Operations = new DagOperations(store, Catalog, time, Signals);
        Scheduler = new SchedulerLoop(store, Catalog, Signals, time, options);
        Worker = new WorkerLoop(store, Catalog, TaskExecutors.CreateDefault(time, new HttpClient()), Signals, time, options);
    }

    public IMetadataStore Store { get; }
    /// <summary>The SQLite file of a harness made by <see cref="SqliteAsync"/>.</summary>
    public string? SqlitePath => _directory is null ? null : Path.Combine(_directory, "meta.db");
    public TimeProvider Time { get; }
    public OrchestrationOptions Options { get; }
    public OrchestrationSignals Signals { get; } = new();
    public DagCatalog Catalog { get; }
    public DagOperations Operations { get; }
    public SchedulerLoop Scheduler { get; }
    public WorkerLoop Worker { get; }

    public static OrchestrationOptions FastOptions(string id = "test") => new()
    {
        SchedulerPoll = TimeSpan.FromMilliseconds(200), WorkerPoll = TimeSpan.FromMilliseconds(200), LeaseDuration = TimeSpan.FromSeconds(5),
        HeartbeatEvery = TimeSpan.FromSeconds(1), LogFlushEvery = TimeSpan.FromMilliseconds(100), SchedulerId = $"scheduler-{id}", WorkerId = $"worker-{id}",
    };

    public static async Task<Harness> SqliteAsync(TimeProvider? time = null, OrchestrationOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sluice-orch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        time ??= TimeProvider.System;
        var store = MetadataStoreFactory.Open(Path.Combine(directory, "meta.db"), time);
        await store.MigrateAsync();
        return new Harness(store, time, options ?? FastOptions(), directory);
    }

    public static async Task<Harness> OpenAsync(string location, OrchestrationOptions options)
    {
        var store = MetadataStoreFactory.Open(location, TimeProvider.System);
        await store.MigrateAsync();
        return new Harness(store, TimeProvider.System, options, null);
    }

    /// <summary>Runs the scheduler and worker loops in the background until disposed.</summary>
    public Harness Start(bool scheduler = true, bool worker = true)
    {
        if (scheduler)
            _loops.Add(Task.Run(() => Scheduler.RunAsync(_stop.Token)));
        if (worker)
            _loops.Add(Task.Run(() => Worker.RunAsync(_stop.Token)));
        return this;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _loops.Clear();
    }

    /// <summary>Waits (generously: the machine may be loaded) until the run has finished.</summary>
    public async Task<DagRunRecord> WaitForRunAsync(long runId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = (await Store.Runs.GetRunAsync(runId))!;
            if (RunStates.IsFinished(run.State))
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {runId} still {run.State} after {seconds} s: " + string.Join(", ", (await TasksAsync(runId)).Select(t => $"{t.Key}={t.Value.State}")));
            await Task.Delay(50);
        }
    }

    public async Task<Dictionary<string, TaskInstanceRecord>> TasksAsync(long runId) =>
        (await Store.Runs.ListTasksAsync([runId])).ToDictionary(t => t.TaskId);

    public async Task<string> LogAsync(TaskInstanceRecord task) => string.Concat((await Store.Runs.ReadLogsAsync(task.Id)).Select(l => l.Text));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}
