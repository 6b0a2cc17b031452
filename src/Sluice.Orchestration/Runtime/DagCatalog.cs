using System.Collections.Concurrent;
using System.Text.Json;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// Parsed DAG definitions by (name, version). A version never changes once stored, so a parsed one is cached for good.
/// </summary>
public sealed class DagCatalog(IMetadataStore store)
{
    /// <summary>The prefix of the one-task DAGs the scheduler keeps for scheduled connections.</summary>
    public const string ConnectionPrefix = "connection:";

    private readonly ConcurrentDictionary<(string, int), DagDefinition> _parsed = new();

    public async Task<DagDefinition> GetAsync(string name, int version, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue((name, version), out var dag))
            return dag;
        var stored = await store.Dags.GetVersionAsync(name, version, cancellationToken)
            ?? throw new NotFoundException("dag version", $"{name}@{version}");
        // The stored name wins: implicit connection DAGs carry a name the YAML grammar does not allow (connection:NAME).
        dag = DagParser.Parse(stored.Definition, new DagParseOptions { SourceName = $"{name}@{version}" }) with { Name = name };
        _parsed[(name, version)] = dag;
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
