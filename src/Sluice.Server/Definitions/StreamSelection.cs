using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Server.Definitions;

/// <summary>
/// Builds a connection's configured catalog from a discovered catalog and the user's stream selections (YAML or
/// API JSON). Unknown streams, columns and cursors are refused with the names that do exist, and so is a sync mode
/// the destination cannot do (a file destination would otherwise append where deduplication was asked for).
/// </summary>
public static class StreamSelection
{
    /// <param name="destination">the destination's connector name and the destination sync modes its spec supports
    /// (empty: not declared, anything goes)</param>
    public static ConfiguredCatalog Build(SourceCatalog discovered, JsonArray? selections, string where, (string Connector, IReadOnlyList<DestinationSyncMode> Modes) destination)
    {
        // Row estimates change between discoveries; keeping them would make every apply look like a change.
        discovered = new SourceCatalog(discovered.Streams.Select(s => s with { EstimatedRows = null }).ToList());
        if (selections is null)
            return ConfiguredCatalog.AllStreams(discovered);
        var streams = new List<ConfiguredStream>();
        for (var i = 0; i < selections.Count; i++)
        {
            var at = $"{where}.streams[{i}]";
            var selection = selections[i] switch
            {
                JsonObject o => o,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => new JsonObject { ["name"] = v.GetValue<string>() },
                _ => throw new DefinitionException($"{at} must be a stream name or a mapping"),
            };
            streams.Add(Configure(discovered, selection, at, destination));
        }
        return new ConfiguredCatalog(streams);
    }

    private static ConfiguredStream Configure(SourceCatalog discovered, JsonObject selection, string at, (string Connector, IReadOnlyList<DestinationSyncMode> Modes) destination)
    {
        var name = DefinitionSet.Required(selection, "name", at);
        var ns = selection["namespace"]?.GetValue<string>();
        var candidates = discovered.Streams.Where(s => s.Name == name && (ns is null || s.Namespace == ns)).ToList();
        if (candidates.Count == 0)
            throw new DefinitionException($"{at}.name: the source has no stream '{(ns is null ? name : ns + "." + name)}'; streams: {string.Join(", ", discovered.Streams.Select(s => s.Descriptor.ToString()))}");
        if (candidates.Count > 1)
            throw new DefinitionException($"{at}.namespace: stream '{name}' exists in several namespaces ({string.Join(", ", candidates.Select(c => c.Namespace))}); set namespace");
        var stream = candidates[0];
        try
        {
            var syncMode = SyncModeNames.ParseSyncMode(selection["sync_mode"]?.GetValue<string>() ?? "full_refresh");
            var destinationSyncMode = SyncModeNames.ParseDestinationSyncMode(selection["destination_sync_mode"]?.GetValue<string>() ?? "overwrite");
            RequireSupported(destinationSyncMode, destination, $"{at}.destination_sync_mode");
            var columns = Strings(selection["columns"]);
            foreach (var column in columns ?? [])
                RequireColumn(stream, column, $"{at}.columns");
            var cursor = Strings(selection["cursor_field"]) ?? (syncMode == SyncMode.Incremental ? stream.DefaultCursorField.ToList() : []);
            foreach (var column in cursor)
                RequireColumn(stream, column, $"{at}.cursor_field");
            if (syncMode == SyncMode.Incremental && cursor.Count == 0)
                throw new DefinitionException($"{at}.cursor_field: incremental sync needs a cursor column; candidates: {string.Join(", ", stream.CursorCandidates)}");
            var primaryKey = Strings(selection["primary_key"]) is { } pk ? pk.Select(c => (IReadOnlyList<string>)[c]).ToList() : stream.PrimaryKey;
            foreach (var column in primaryKey.SelectMany(p => p))
                RequireColumn(stream, column, $"{at}.primary_key");
            if (destinationSyncMode is DestinationSyncMode.AppendDedup or DestinationSyncMode.OverwriteDedup && primaryKey.Count == 0)
                throw new DefinitionException($"{at}.primary_key: {destinationSyncMode.ToProtocol()} needs a primary key; the source defines none, so set primary_key");
            return new ConfiguredStream
            {
                Stream = stream,
                SyncMode = syncMode,
                DestinationSyncMode = destinationSyncMode,
                CursorField = cursor,
                PrimaryKey = primaryKey,
                SelectedColumns = columns,
                Mappings = Mappings(selection["mappings"], stream, $"{at}.mappings"),
                DestinationName = selection["destination_name"]?.GetValue<string>(),
                DestinationNamespace = selection["destination_namespace"]?.GetValue<string>(),
            };
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"{at}: {e.Message}");
        }
    }

    private static List<ColumnMapping> Mappings(JsonNode? node, StreamSchema stream, string at)
    {
        var mappings = new List<ColumnMapping>();
        if (node is not JsonArray list)
            return mappings;
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i] as JsonObject ?? throw new DefinitionException($"{at}[{i}] must be a mapping");
            var column = DefinitionSet.Required(entry, "column", $"{at}[{i}]");
            RequireColumn(stream, column, $"{at}[{i}].column");
            if (entry["rename"] is JsonValue rename)
                mappings.Add(new ColumnMapping(column, ColumnMappingKind.Rename, rename.GetValue<string>()));
            else if (Flag(entry, "drop"))
                mappings.Add(new ColumnMapping(column, ColumnMappingKind.Drop));
            else if (Flag(entry, "hash"))
                mappings.Add(new ColumnMapping(column, ColumnMappingKind.Hash));
            else if (Flag(entry, "mask"))
                mappings.Add(new ColumnMapping(column, ColumnMappingKind.Mask));
            else
                throw new DefinitionException($"{at}[{i}]: say what to do with '{column}': rename: NEW_NAME, drop: true, hash: true or mask: true");
        }
        return mappings;
    }

    private static bool Flag(JsonObject entry, string key) => entry[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>
    /// overwrite_dedup is not in the Airbyte protocol's enum, so no spec lists it: a destination that deduplicates
    /// (lists append_dedup) does it in both modes.
    /// </summary>
    private static void RequireSupported(DestinationSyncMode mode, (string Connector, IReadOnlyList<DestinationSyncMode> Modes) destination, string at)
    {
        var modes = destination.Modes;
        if (modes.Count == 0 || modes.Contains(mode) || (mode == DestinationSyncMode.OverwriteDedup && modes.Contains(DestinationSyncMode.AppendDedup)))
            return;
        throw new DefinitionException($"{at}: the {destination.Connector} destination does not support {mode.ToProtocol()}; use one of {string.Join(", ", modes.Select(m => m.ToProtocol()))}");
    }

    private static void RequireColumn(StreamSchema stream, string column, string at)
    {
        if (stream.Column(column) is null)
            throw new DefinitionException($"{at}: stream '{stream.Descriptor}' has no column '{column}'; columns: {string.Join(", ", stream.Columns.Select(c => c.Name))}");
    }

    private static List<string>? Strings(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(n => n!.GetValue<string>()).ToList(),
        JsonValue v => [v.GetValue<string>()],
        _ => throw new DefinitionException("expected a column name or a list of column names"),
    };
}
