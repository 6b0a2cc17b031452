using System.Collections.Concurrent;
using System.Text.Json;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// Parsed DAG definitions by (name, version). A version never changes once stored, so a parsed one is cached for good.
/// Concurrent requests for one version share a single load: a worker that claims sixteen tasks of a DAG with
/// thousands of tasks parses it once, not sixteen times.
/// </summary>
public sealed class DagCatalog(IMetadataStore store)
{
    /// <summary>The prefix of the one-task DAGs the scheduler keeps for scheduled connections.</summary>
    public const string ConnectionPrefix = "connection:";

    private readonly ConcurrentDictionary<(string, int), Lazy<Task<DagDefinition>>> _parsed = new();

    public async Task<DagDefinition> GetAsync(string name, int version, CancellationToken cancellationToken)
    {
        var key = (name, version);
        var load = _parsed.GetOrAdd(key, _ => new Lazy<Task<DagDefinition>>(() => LoadAsync(name, version)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || load.Value.IsCanceled)
        {
            // A failed load is not cached: the next caller tries again (the store may have been out of reach).
            _parsed.TryRemove(new KeyValuePair<(string, int), Lazy<Task<DagDefinition>>>(key, load));
            throw;
        }
    }

    // Not on any caller's token: the load is shared, and one caller giving up must not fail the others.
    private async Task<DagDefinition> LoadAsync(string name, int version)
    {
        var stored = await store.Dags.GetVersionAsync(name, version, CancellationToken.None)
            ?? throw new NotFoundException("dag version", $"{name}@{version}");
        // The stored name wins: implicit connection DAGs carry a name the YAML grammar does not allow (connection:NAME).
        var dag = DagParser.Parse(stored.Definition, new DagParseOptions { SourceName = $"{name}@{version}" }) with { Name = name };
        _ = dag.Graph;
        return dag;
    }

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
