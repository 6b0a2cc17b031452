using System.Text.RegularExpressions;
using Sluice.Core.Model;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Runtime;

/// <summary>What one applied DAG became.</summary>
public sealed record DagApplied(string Name, int Version, bool Created, bool Changed);

/// <summary>
/// What people do to DAGs and runs, shared by the CLI and the API: apply definitions, pause, trigger, backfill.
/// Clearing and marking tasks is in DagOperations.Tasks.cs.
/// </summary>
public sealed partial class DagOperations(IMetadataStore store, DagCatalog catalog, TimeProvider time, OrchestrationSignals? signals = null)
{
    /// <summary>
    /// Parses every DAG of <paramref name="yaml"/> (documents separated by <c>---</c>), checks references against the
    /// store, then stores each as a new version when it changed. Nothing is stored when any DAG is invalid.
    /// </summary>
    public Task<IReadOnlyList<DagApplied>> ApplyAsync(string yaml, string? sourceName = null, string? baseDirectory = null, CancellationToken cancellationToken = default) =>
        ApplyAsync(null, yaml, sourceName, baseDirectory, null, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync(string, string?, string?, CancellationToken)"/>, into <paramref name="workspace"/>: the DAGs'
    /// connections, sources, destinations and awaited DAGs are looked up there, and the DAGs belong to it.
    /// </summary>
    public Task<IReadOnlyList<DagApplied>> ApplyAsync(Workspace workspace, string yaml, string? sourceName = null, string? baseDirectory = null,
        CancellationToken cancellationToken = default) =>
        ApplyAsync(workspace, yaml, sourceName, baseDirectory, null, cancellationToken);

    /// <summary>
    /// Applies <paramref name="yaml"/>, which must define the one DAG <paramref name="expected"/> names, only while that DAG
    /// is still at the expected version (<see cref="ConcurrencyException"/> otherwise): an update that cannot lose another's change.
    /// </summary>
    public async Task<DagApplied> UpdateAsync(string yaml, (string Name, int Version) expected, string? sourceName = null, CancellationToken cancellationToken = default) =>
        (await ApplyAsync(null, yaml, sourceName, null, expected, cancellationToken)).Single();

    /// <summary>As <see cref="UpdateAsync(string, ValueTuple{string, int}, string?, CancellationToken)"/> for a DAG of <paramref name="workspace"/>.</summary>
    public async Task<DagApplied> UpdateAsync(Workspace workspace, string yaml, (string Name, int Version) expected, string? sourceName = null,
        CancellationToken cancellationToken = default) =>
        (await ApplyAsync(workspace, yaml, sourceName, null, expected, cancellationToken)).Single();

    private async Task<IReadOnlyList<DagApplied>> ApplyAsync(Workspace? into, string yaml, string? sourceName, string? baseDirectory, (string Name, int Version)? expected,
        CancellationToken cancellationToken)
    {
        var workspace = into ?? await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
        var connections = (await store.Connections.ListAsync(workspace.Id, cancellationToken)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var sources = (await store.Actors.ListAsync(workspace.Id, ActorKind.Source, cancellationToken)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var destinations = (await store.Actors.ListAsync(workspace.Id, ActorKind.Destination, cancellationToken)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var documents = Documents(yaml);
        // A DAG may await only DAGs of its own workspace.
        var dags = (await store.Dags.ListAsync(cancellationToken)).Where(d => d.WorkspaceId == workspace.Id).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var pools = (await store.Pools.ListAsync(cancellationToken)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        dags.UnionWith(documents.Select(NameOf).OfType<string>());
        var options = new DagParseOptions
        {
            SourceName = sourceName, BaseDirectory = baseDirectory, ConnectionExists = connections.Contains, SourceExists = sources.Contains,
            DestinationExists = destinations.Contains, DagExists = dags.Contains, PoolExists = pools.Contains,
        };
        var errors = new List<DagError>();
        var parsed = new List<(DagDefinition Dag, string Text)>();
        foreach (var document in documents)
        {
            try
            {
                var dag = DagParser.Parse(document, options);
                var stored = SqlFileInliner.Inline(document, dag, sourceName, baseDirectory);
                // The inlined SQL is checked like inline SQL (template variables), now rather than when a worker loads it.
                parsed.Add((stored == document ? dag : DagParser.Parse(stored, options), stored));
            }
            catch (DagDefinitionException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
            throw new DagDefinitionException(errors);
        if (expected is { } only && (parsed.Count != 1 || parsed[0].Dag.Name != only.Name))
            throw new ArgumentException($"the body must define exactly the dag '{only.Name}' (found {string.Join(", ", parsed.Select(p => $"'{p.Dag.Name}'"))})");
        var applied = new List<DagApplied>();
        foreach (var (dag, text) in parsed)
        {
            var result = expected is { } check
                ? await store.Dags.ApplyAsync(workspace.Id, dag.Name, text.Trim() + "\n", check.Version, cancellationToken)
                : await store.Dags.ApplyAsync(workspace.Id, dag.Name, text.Trim() + "\n", cancellationToken);
            applied.Add(new DagApplied(dag.Name, result.Dag.CurrentVersion, result.Created, result.Changed));
        }

        signals?.Scheduler.Signal();
        return applied;
    }

    public async Task<DagRecord> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await store.Dags.GetAsync(name, cancellationToken) ?? throw new NotFoundException("dag", name);

    public async Task<DagDefinition> DefinitionAsync(string name, CancellationToken cancellationToken = default)
    {
        var dag = await GetAsync(name, cancellationToken);
        return await catalog.GetAsync(name, dag.CurrentVersion, cancellationToken);
    }

    public async Task SetPausedAsync(string name, bool paused, CancellationToken cancellationToken = default)
    {
        if (!await store.Dags.SetPausedAsync(name, paused, cancellationToken))
            throw new NotFoundException("dag", name);
        signals?.Scheduler.Signal();
    }

    /// <summary>A manual run now, with <paramref name="parameters"/> overriding the DAG's params.</summary>
    public async Task<DagRunRecord> TriggerAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(name, cancellationToken);
        var dag = await catalog.GetAsync(name, record.CurrentVersion, cancellationToken);
        var unknown = (parameters ?? new Dictionary<string, string>()).Keys.Where(k => !dag.Params.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"dag '{name}' has no param {string.Join(", ", unknown.Select(k => $"'{k}'"))}; it has {(dag.Params.Count == 0 ? "none" : string.Join(", ", dag.Params.Keys))}");
        var now = time.GetUtcNow();
        var run = await RunFactory.CreateAsync(store, dag, record.CurrentVersion, new DataInterval(now, now), now, RunTypes.Manual, parameters, null, cancellationToken)
            ?? throw new InvalidOperationException($"dag '{name}' already has a run at {now:O}; try again");
        signals?.Scheduler.Signal();
        return run;
    }

    /// <summary>
    /// One run per interval of the DAG's schedule that starts at or after <paramref name="from"/> and ends by
    /// <paramref name="to"/>, skipping logical dates that already have a run. Runs start as max_active_runs allows.
    /// </summary>
    public async Task<IReadOnlyList<DagRunRecord>> BackfillAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(name, cancellationToken);
        var dag = await catalog.GetAsync(name, record.CurrentVersion, cancellationToken);
        if (dag.Schedule is not TimeSchedule schedule)
            throw new ArgumentException($"dag '{name}' has no time schedule ({dag.Schedule.Text}); backfill needs cron or interval");
        if (to <= from)
            throw new ArgumentException("the backfill range is empty: --to must be after --from");
        var created = new List<DagRunRecord>();
        foreach (var interval in schedule.IntervalsBetween(from, to).Take(10_000))
        {
            if (await RunFactory.CreateAsync(store, dag, record.CurrentVersion, interval, interval.LogicalDate, RunTypes.Backfill, null, null, cancellationToken) is { } run)
                created.Add(run);
        }

        signals?.Scheduler.Signal();
        return created;
    }

    private static List<string> Documents(string yaml) =>
        Regex.Split(yaml, @"^---[ \t]*\r?$", RegexOptions.Multiline).Where(d => d.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))).ToList();

    private static string? NameOf(string document) =>
        Regex.Match(document, @"^name:\s*[""']?([^""'\s#]+)", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;
}
