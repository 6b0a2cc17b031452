using System.Collections.Concurrent;
using System.Text.Json;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// Parsed DAG definitions by (name, version). A version never changes once stored, so a parsed one is cached for good.
/// Concurrent requests for one version share a single load: a worker that claims sixteen tasks of a DAG with
/// thousands of tasks parses it once, not sixteen times. Workers ask for single tasks (<see cref="GetTaskAsync"/>):
/// they get the version's settings and the one task, not the whole DAG.
/// </summary>
public sealed class DagCatalog(IMetadataStore store)
{
    /// <summary>The prefix of the one-task DAGs the scheduler keeps for scheduled connections.</summary>
    public const string ConnectionPrefix = "connection:";

    private readonly ConcurrentDictionary<(string, int), Lazy<Task<DagDefinition>>> _parsed = new();
    private readonly ConcurrentDictionary<(string, int), Lazy<Task<StoredDag>>> _stored = new();

    public Task<DagDefinition> GetAsync(string name, int version, CancellationToken cancellationToken) =>
        SharedAsync(_parsed, (name, version), () => LoadAsync(name, version), cancellationToken);

    /// <summary>One task of a version with the DAG settings its attempt needs; the whole DAG when this process holds it.</summary>
    public async Task<DagTask> GetTaskAsync(string name, int version, string taskId, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue((name, version), out var whole) && whole.Value.IsCompletedSuccessfully)
            return DagTask.Of(whole.Value.Result, taskId);
        var stored = await SharedAsync(_stored, (name, version), async () =>
            DagParser.ParseStored(await DefinitionAsync(name, version), name, new DagParseOptions { SourceName = $"{name}@{version}" }), cancellationToken);
        return stored.Task(taskId);
    }

    private static async Task<T> SharedAsync<T>(
        ConcurrentDictionary<(string, int), Lazy<Task<T>>> cache, (string, int) key, Func<Task<T>> load, CancellationToken cancellationToken)
    {
        var shared = cache.GetOrAdd(key, _ => new Lazy<Task<T>>(load));
        try
        {
            return await shared.Value.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || shared.Value.IsCanceled)
        {
            // A failed load is not cached: the next caller tries again (the store may have been out of reach).
            cache.TryRemove(new KeyValuePair<(string, int), Lazy<Task<T>>>(key, shared));
            throw;
        }
    }

    // Not on any caller's token: the load is shared, and one caller giving up must not fail the others.
    private async Task<DagDefinition> LoadAsync(string name, int version)
    {
        // The stored name wins: implicit connection DAGs carry a name the YAML grammar does not allow (connection:NAME).
        var dag = DagParser.Parse(await DefinitionAsync(name, version), new DagParseOptions { SourceName = $"{name}@{version}" }) with { Name = name };
        _ = dag.Graph;
        return dag;
    }

    private async Task<string> DefinitionAsync(string name, int version) =>
        (await store.Dags.GetVersionAsync(name, version, CancellationToken.None)
            ?? throw new NotFoundException("dag version", $"{name}@{version}")).Definition;

    /// <summary>
    /// The YAML of the implicit DAG of a scheduled connection: one sync task on the connection's schedule, in its time
    /// zone (no line for UTC, so connections without a zone keep the DAG version they had).
    /// </summary>
    public static string ConnectionDagYaml(string connection, string schedule, string? timeZone = null) =>
        $"""
        name: connection-sync
        description: {JsonSerializer.Serialize($"the schedule of connection {connection}")}
        schedule: {JsonSerializer.Serialize(schedule)}{(string.IsNullOrWhiteSpace(timeZone) ? "" : $"\ntimezone: {JsonSerializer.Serialize(timeZone)}")}
        max_active_runs: 1
        tasks:
          - id: sync
            type: sync
            connection: {JsonSerializer.Serialize(connection)}
        """;
}
