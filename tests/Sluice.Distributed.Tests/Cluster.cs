using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Runtime;
using Sluice.Testing;

namespace Sluice.Distributed.Tests;

/// <summary>
/// A fresh database on the shared PostgreSQL fixture, migrated, with the sluice processes started against it (on
/// loopback: the multi-host network-namespace tests live elsewhere) and a store of the test's own to look inside.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string AdminPassword = "distributed-test-password";

    private readonly List<SluiceNode> _nodes = [];

    private Cluster(PostgresServer server, string database, string dataDir, IMetadataStore store)
    {
        Server = server;
        Database = database;
        DataDir = dataDir;
        Store = store;
        Operations = new DagOperations(store, new DagCatalog(store), TimeProvider.System);
    }

    public PostgresServer Server { get; }
    public string Database { get; }
    public string DataDir { get; }
    public IMetadataStore Store { get; }
    public DagOperations Operations { get; }

    /// <summary>The store as the processes are given it: a postgres:// URL.</summary>
    public string Url => $"postgres://{PostgresServer.User}:{PostgresServer.Password}@{Server.Host}:{Server.Port}/{Database}";

    public static async Task<Cluster> StartAsync(bool migrate = true)
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("dist");
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-dist-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        var store = MetadataStoreFactory.Open(server.ConnectionString(database));
        if (migrate)
            await store.MigrateAsync();
        return new Cluster(server, database, dataDir, store);
    }

    public SluiceNode Start(string name, params string[] args)
    {
        var node = SluiceNode.Start(name, DataDir, args);
        _nodes.Add(node);
        return node;
    }

    public SluiceNode Scheduler(string id, params string[] extra) => Start(id, ["scheduler", "--store", Url, "--id", id, .. extra]);

    public SluiceNode Worker(string id, int slots = 4, params string[] extra) => Start(id, ["worker", "--store", Url, "--id", id, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);

    public async Task<SluiceNode> ReadyAsync(SluiceNode node)
    {
        await node.WaitForLineAsync($@"^(scheduler|worker) {node.Name} ready$", TimeSpan.FromSeconds(60));
        return node;
    }

    public async Task<TaskInstanceRecord> TaskAsync(long runId, string taskId) =>
        (await Store.Runs.ListTasksAsync([runId])).Single(t => t.TaskId == taskId);

    /// <summary>Polls until <paramref name="condition"/> holds for the task; generous, the machine may be loaded.</summary>
    public async Task<TaskInstanceRecord> WaitForTaskAsync(long runId, string taskId, Func<TaskInstanceRecord, bool> condition, int seconds = 60, string? why = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var task = await TaskAsync(runId, taskId);
            if (condition(task))
                return task;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"task {taskId} of run {runId} never got {why ?? "there"}: {task}\n{string.Join("\n", _nodes.Select(n => n.Output))}");
            await Task.Delay(100);
        }
    }

    public string AllOutput => string.Join("\n", _nodes.Select(n => n.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
