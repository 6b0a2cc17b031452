using System.Text.Json.Nodes;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Core.Protocol;
using Sluice.Metadata;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Server.Definitions;

public sealed partial class DefinitionApplier
{
    private async Task<ApplyChange> ApplyConnectionAsync(ConnectionDefinition definition, Workspace workspace, CancellationToken cancellationToken)
    {
        var where = $"{definition.Source}: connections.{definition.Name}";
        var source = await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, definition.SourceName, cancellationToken)
            ?? throw new DefinitionException($"{where}.source: no source named '{definition.SourceName}'; define it under sources");
        var destination = await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Destination, definition.DestinationName, cancellationToken)
            ?? throw new DefinitionException($"{where}.destination: no destination named '{definition.DestinationName}'; define it under destinations");
        var connector = registry.Source(source.Connector);
        Core.Catalog.SourceCatalog discovered;
        try
        {
            discovered = await connector.DiscoverAsync(resolver?.ConfigOf(source) ?? Core.Config.ConfigReferences.Resolve(source.Config), cancellationToken);
        }
        catch (Exception e) when (e is ConfigException or ConnectorUnavailableException)
        {
            throw new DefinitionException($"{where}: cannot discover the streams of source '{source.Name}': {e.Message}", e);
        }
        var body = definition.Body;
        var catalog = StreamSelection.Build(discovered, body["streams"] as JsonArray, where,
            (destination.Connector, registry.Destination(destination.Connector).Spec().SupportedDestinationSyncModes));
        var policy = ParsePolicy(body["schema_change_policy"]?.GetValue<string>(), where);
        var status = body["status"]?.GetValue<string>()?.ToLowerInvariant() switch
        {
            null or "active" => ConnectionStatus.Active,
            "paused" => ConnectionStatus.Paused,
            var other => throw new DefinitionException($"{where}.status: '{other}' is not a status; use active or paused"),
        };
        var schedule = body["schedule"]?.GetValue<string>();
        var timeZone = body["timezone"]?.GetValue<string>();
        ScheduleOf(schedule, timeZone, where);
        var now = time.GetUtcNow();
        var connection = new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspace.Id,
            Name = definition.Name,
            SourceId = source.Id,
            DestinationId = destination.Id,
            Catalog = catalog,
            Schedule = schedule,
            TimeZone = string.IsNullOrWhiteSpace(timeZone) ? null : timeZone.Trim(),
            Status = status,
            Prefix = body["prefix"]?.GetValue<string>(),
            DestinationNamespace = body["namespace"]?.GetValue<string>(),
            SchemaChangePolicy = policy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var existing = await store.Connections.FindByNameAsync(workspace.Id, definition.Name, cancellationToken);
        if (existing is null)
        {
            await store.Connections.CreateAsync(connection, cancellationToken);
            return new ApplyChange("connection", definition.Name, ApplyAction.Created, []);
        }
        var diff = JsonDiff.Compare(Describe(existing), Describe(connection), "connection");
        if (diff.Count == 0)
            return new ApplyChange("connection", definition.Name, ApplyAction.Unchanged, []);
        await store.Connections.UpdateAsync(connection with { Id = existing.Id, Version = existing.Version, CreatedAt = existing.CreatedAt }, cancellationToken);
        return new ApplyChange("connection", definition.Name, ApplyAction.Updated, diff);
    }

    private static JsonObject Describe(Connection c) => new()
    {
        ["source"] = c.SourceId.ToString(),
        ["destination"] = c.DestinationId.ToString(),
        ["schedule"] = c.Schedule,
        ["timezone"] = c.TimeZone,
        ["status"] = c.Status.ToString(),
        ["prefix"] = c.Prefix,
        ["namespace"] = c.DestinationNamespace,
        ["schema_change_policy"] = c.SchemaChangePolicy.ToString(),
        ["catalog"] = AirbyteCatalogJson.ToJson(c.Catalog),
    };

    // Checked at apply, as the API does, rather than logged later by the scheduler that cannot use it.
    private static void ScheduleOf(string? schedule, string? timeZone, string where)
    {
        TimeZoneInfo zone;
        try
        {
            zone = ScheduleText.TimeZone(timeZone);
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"{where}.timezone: {e.Message}", e);
        }
        try
        {
            ScheduleText.Parse(schedule, zone);
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"{where}.schedule: {e.Message}", e);
        }
    }

    public static SchemaChangePolicy ParsePolicy(string? text, string where) => text?.ToLowerInvariant().Replace('-', '_') switch
    {
        null or "propagate_columns" => SchemaChangePolicy.PropagateColumns,
        "propagate_all" or "propagate" => SchemaChangePolicy.PropagateAll,
        "ignore" => SchemaChangePolicy.Ignore,
        "pause" => SchemaChangePolicy.Pause,
        var other => throw new DefinitionException($"{where}.schema_change_policy: '{other}' is not a policy; use propagate_all, propagate_columns, ignore or pause"),
    };
}
