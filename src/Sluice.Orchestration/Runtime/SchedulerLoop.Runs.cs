using Sluice.Metadata.Orchestration;
using Sluice.Core.Model;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Runtime;

public sealed partial class SchedulerLoop
{
    private async Task CreateDueRunsAsync(Term term, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = (await store.Runs.ListRunsAsync(null, RunStates.Active, 100_000, cancellationToken)).GroupBy(r => r.Dag).ToDictionary(g => g.Key, g => g.Count());
        foreach (var record in await store.Dags.ListAsync(cancellationToken))
        {
            if (record.Paused)
                continue;
            DagDefinition dag;
            try
            {
                dag = await catalog.GetAsync(record.Name, record.CurrentVersion, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                options.Log($"dag '{record.Name}' version {record.CurrentVersion} cannot be loaded: {ex.Message}", ex);
                continue;
            }

            if (dag.Paused)
                continue;
            var room = dag.MaxActiveRuns - active.GetValueOrDefault(record.Name);
            switch (dag.Schedule)
            {
                case TimeSchedule schedule when room > 0:
                    var last = await store.Runs.LatestRunAsync(record.Name, [RunTypes.Scheduled], cancellationToken);
                    DataInterval? lastInterval = last is null ? null : new DataInterval(last.IntervalStart, last.IntervalEnd);
                    foreach (var interval in schedule.DueRuns(lastInterval, dag.RunWindow(record.CreatedAt), now, room))
                        await RunFactory.CreateAsync(store, dag, record.CurrentVersion, interval, interval.LogicalDate, RunTypes.Scheduled, null, term.Fence(), cancellationToken);
                    break;
                case EventSchedule events:
                    await CreateEventRunAsync(record, dag, events, term, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Starts a run once the awaited connections' syncs and DAGs' runs have succeeded since the last event run.</summary>
    private async Task CreateEventRunAsync(DagRecord record, DagDefinition dag, EventSchedule events, Term term, CancellationToken cancellationToken)
    {
        var last = await store.Runs.LatestRunAsync(record.Name, [RunTypes.Event], cancellationToken);
        var since = last?.CreatedAt ?? record.CreatedAt;
        var seen = new List<DateTimeOffset>();
        var connections = new List<string>();
        if (events.Connections.Count > 0)
        {
            foreach (var name in events.Connections)
            {
                if (await store.Connections.FindByNameAsync(record.WorkspaceId, name, cancellationToken) is not { } connection)
                    continue;
                var succeeded = (await store.Jobs.ListAsync(connection.Id, 20, null, cancellationToken))
                    .Where(j => j.Status == JobStatus.Succeeded && j.EndedAt > since).Select(j => j.EndedAt!.Value).ToList();
                if (succeeded.Count > 0)
                {
                    connections.Add(name);
                    seen.AddRange(succeeded);
                }
            }
        }

        var dags = new List<string>();
        if (events.Dags.Count > 0)
        {
            foreach (var run in await store.Runs.EndedSinceAsync(RunStates.Success, since, cancellationToken))
            {
                if (events.Dags.Contains(run.Dag))
                {
                    dags.Add(run.Dag);
                    seen.Add(run.EndedAt!.Value);
                }
            }
        }

        if (seen.Count == 0 || !events.IsSatisfiedBy(connections, dags))
            return;
        var interval = EventSchedule.IntervalForEvents(seen.Min(), seen.Max());
        await RunFactory.CreateAsync(store, dag, record.CurrentVersion, interval, time.GetUtcNow(), RunTypes.Event, null, term.Fence(), cancellationToken);
    }

    /// <summary>Keeps one DAG per scheduled connection (connection:NAME), paused while the connection is paused or unscheduled.</summary>
    private async Task SyncConnectionDagsAsync(CancellationToken cancellationToken)
    {
        var existing = (await store.Dags.ListAsync(cancellationToken)).Where(d => d.Name.StartsWith(DagCatalog.ConnectionPrefix, StringComparison.Ordinal))
            .ToDictionary(d => d.Name);
        var wanted = new HashSet<string>();
        foreach (var workspace in await store.Workspaces.ListAsync(cancellationToken))
        {
            foreach (var connection in await store.Connections.ListAsync(workspace.Id, cancellationToken))
            {
                if (connection.Schedule is not { } schedule || connection.Status != ConnectionStatus.Active)
                    continue;
                var name = DagCatalog.ConnectionPrefix + connection.Name;
                try
                {
                    var yaml = DagCatalog.ConnectionDagYaml(connection.Name, schedule, connection.TimeZone);
                    DagParser.Parse(yaml);
                    await store.Dags.ApplyAsync(workspace.Id, name, yaml, cancellationToken);
                    wanted.Add(name);
                    if (existing.TryGetValue(name, out var dag) && dag.Paused)
                        await store.Dags.SetPausedAsync(name, false, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    options.Log($"connection '{connection.Name}' has a schedule Sluice cannot use ('{schedule}'): {ex.Message}", ex);
                }
            }
        }

        foreach (var stale in existing.Values.Where(d => !d.Paused && !wanted.Contains(d.Name)))
            await store.Dags.SetPausedAsync(stale.Name, true, cancellationToken);
    }
}
