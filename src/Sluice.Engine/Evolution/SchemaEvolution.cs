using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;

namespace Sluice.Engine.Evolution;

/// <summary>
/// Schema evolution at the start of every sync: discovers the source, compares each stream with the schema last seen
/// (the connection's catalog before the first check), applies what the connection's policy allows to the
/// destination and the catalog, and records every change. A change that needs a person pauses the connection and
/// fails the sync with what changed and what to do; <see cref="ResumeAsync"/> then accepts the reviewed changes.
/// </summary>
public sealed class SchemaEvolution(IMetadataStore store)
{
    /// <summary>The connection to sync (its catalog updated) and the streams to leave out because the source lacks them.</summary>
    public sealed record CheckResult(Connection Connection, IReadOnlySet<StreamDescriptor> Skipped, IReadOnlyList<SchemaChangeRecord> Changes);

    public async Task<CheckResult> CheckAsync(ResolvedConnection resolved, long jobId, Action<string> log, CancellationToken cancellationToken)
    {
        var connection = resolved.Connection;
        if (connection.Status == ConnectionStatus.Paused)
            throw new ConnectionPausedException(await PausedMessageAsync(connection, cancellationToken));
        var (plan, discovered) = await PlanAsync(resolved, accepting: false, cancellationToken);
        var records = Records(connection, plan, jobId);
        foreach (var record in records)
            log($"schema change: {record.Change}: {record.Action.ToText()}: {record.Message}");
        if (plan.Pauses)
        {
            _ = await store.Schemas.CommitAsync(new SchemaCommit(connection, connection with { Status = ConnectionStatus.Paused }, null, records), cancellationToken);
            throw new ConnectionPausedException(PauseText(connection, records));
        }
        await ApplyToDestinationAsync(resolved, plan, log, cancellationToken);
        var catalogChanged = !SameCatalog(connection.Catalog, plan.Catalog);
        var (stored, changes) = await store.Schemas.CommitAsync(new SchemaCommit(connection, catalogChanged ? connection with { Catalog = plan.Catalog } : null,
            discovered.Streams, records), cancellationToken);
        foreach (var skipped in plan.Skipped)
            log($"stream {skipped}: the source no longer has it; skipped (it stays in the connection's streams)");
        return new CheckResult(stored, plan.Skipped, changes);
    }

    /// <summary>
    /// Resumes a paused connection: the changes found now are accepted as reviewed (what would pause is applied to
    /// the catalog; safe destination changes are made) and recorded, and the connection is active again.
    /// </summary>
    public async Task<CheckResult> ResumeAsync(ResolvedConnection resolved, CancellationToken cancellationToken)
    {
        var connection = resolved.Connection;
        var (plan, discovered) = await PlanAsync(resolved, accepting: true, cancellationToken);
        var records = Records(connection, plan, null);
        await ApplyToDestinationAsync(resolved, plan, _ => { }, cancellationToken);
        var (stored, changes) = await store.Schemas.CommitAsync(new SchemaCommit(connection, connection with { Catalog = plan.Catalog, Status = ConnectionStatus.Active },
            discovered.Streams, records), cancellationToken);
        return new CheckResult(stored, plan.Skipped, changes);
    }

    /// <summary>Why a connection is paused: the changes of its last pause with what to do, or that a person paused it.</summary>
    public async Task<string> PausedMessageAsync(Connection connection, CancellationToken cancellationToken)
    {
        var recent = await store.Schemas.ListChangesAsync(connection.Id, 50, null, cancellationToken);
        var lastPause = recent.TakeWhile(r => r.Action == SchemaChangeAction.Paused).ToList();
        if (lastPause.Count > 0 && lastPause[0].At >= connection.UpdatedAt.AddSeconds(-1))
            return PauseText(connection, lastPause);
        return $"connection {connection.Name} is paused; resume it to sync (sluice connections resume {connection.Name})";
    }

    private async Task<(SchemaPlan Plan, SourceCatalog Discovered)> PlanAsync(ResolvedConnection resolved, bool accepting, CancellationToken cancellationToken)
    {
        var discovered = await resolved.Source.DiscoverAsync(resolved.SourceConfig, cancellationToken);
        discovered = new SourceCatalog(discovered.Streams.Select(s => s with { EstimatedRows = null }).ToList());
        var snapshot = await store.Schemas.GetSnapshotAsync(resolved.Connection.Id, cancellationToken);
        return (new SchemaPlanner(resolved.Connection, accepting).Plan(snapshot, discovered), discovered);
    }

    /// <summary>Adds and widens destination columns before anything is written; idempotent, so a retried attempt may repeat it.</summary>
    private static async Task ApplyToDestinationAsync(ResolvedConnection resolved, SchemaPlan plan, Action<string> log, CancellationToken cancellationToken)
    {
        if (plan.DestinationChanges.Count == 0 || resolved.Destination is not ISchemaEvolvingDestination destination)
            return;
        foreach (var group in plan.DestinationChanges.GroupBy(c => c.Stream))
        {
            if (plan.Catalog.Find(group.Key) is not { } configured)
                continue;
            var stream = ConnectionNaming.Apply(resolved.Connection, configured);
            var read = stream.ReadColumns();
            var target = stream.TargetColumns();
            ColumnSchema Target(string column) => target[read.ToList().FindIndex(c => c.Name == column)];
            var added = group.Where(c => !c.Widen).Select(c => Target(c.Column)).ToList();
            if (added.Count > 0)
            {
                await destination.AddColumnsAsync(resolved.DestinationConfig, stream, added, cancellationToken);
                log($"stream {group.Key}: destination table {stream.TargetName} has column(s) {string.Join(", ", added.Select(c => $"{c.Name} {c.Type}"))}");
            }
            foreach (var widened in group.Where(c => c.Widen).Select(c => Target(c.Column)))
            {
                await destination.WidenColumnAsync(resolved.DestinationConfig, stream, widened, cancellationToken);
                log($"stream {group.Key}: destination column {stream.TargetName}.{widened.Name} widened to {widened.Type}");
            }
        }
    }

    private static List<SchemaChangeRecord> Records(Connection connection, SchemaPlan plan, long? jobId) =>
        plan.Changes.Select(c => new SchemaChangeRecord { ConnectionId = connection.Id, JobId = jobId, Change = c.Change, Action = c.Action, Message = c.Message }).ToList();

    private static string PauseText(Connection connection, IReadOnlyList<SchemaChangeRecord> records)
    {
        var causes = records.Where(r => !r.Message.StartsWith("not handled:", StringComparison.Ordinal)).Select(r => $"{r.Change} ({r.Message})");
        return $"connection {connection.Name} is paused for source schema changes: {string.Join("; ", causes)}";
    }

    private static bool SameCatalog(ConfiguredCatalog a, ConfiguredCatalog b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(Core.Protocol.AirbyteCatalogJson.ToJson(a), Core.Protocol.AirbyteCatalogJson.ToJson(b));
}
