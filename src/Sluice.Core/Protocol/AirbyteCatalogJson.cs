using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Core.Protocol;

/// <summary>Converts catalogs to and from the Airbyte protocol's JSON. Sluice-only settings travel as <c>x-sluice-*</c> keys.</summary>
public static class AirbyteCatalogJson
{
    public static JsonObject ToJson(StreamDescriptor d)
    {
        var json = new JsonObject { ["name"] = d.Name };
        if (d.Namespace is not null)
            json["namespace"] = d.Namespace;
        return json;
    }

    public static StreamDescriptor Descriptor(JsonNode? json) =>
        new(json?["name"]?.GetValue<string>() ?? throw new FormatException("stream descriptor without a name"), json?["namespace"]?.GetValue<string>());

    public static JsonObject ToJson(StreamSchema stream)
    {
        var json = new JsonObject
        {
            ["name"] = stream.Name,
            ["json_schema"] = stream.ToJsonSchema(),
            ["supported_sync_modes"] = new JsonArray(stream.SupportedSyncModes.Select(m => (JsonNode)m.ToProtocol()).ToArray()),
            ["source_defined_cursor"] = stream.SourceDefinedCursor,
            ["default_cursor_field"] = new JsonArray(stream.DefaultCursorField.Select(f => (JsonNode)f).ToArray()),
            ["source_defined_primary_key"] = Paths(stream.PrimaryKey),
            ["is_resumable"] = stream.SupportedSyncModes.Contains(SyncMode.Incremental),
            ["x-sluice-cursor-candidates"] = new JsonArray(stream.CursorCandidates.Select(f => (JsonNode)f).ToArray()),
            ["x-sluice-columns"] = new JsonArray(stream.Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type.ToString(),
                ["nullable"] = c.Nullable,
                ["native_type"] = c.NativeType,
            }).ToArray()),
        };
        if (stream.Namespace is not null)
            json["namespace"] = stream.Namespace;
        if (stream.EstimatedRows is { } rows)
            json["x-sluice-estimated-rows"] = rows;
        return json;
    }

    public static JsonObject ToJson(SourceCatalog catalog) =>
        new() { ["streams"] = new JsonArray(catalog.Streams.Select(s => (JsonNode)ToJson(s)).ToArray()) };

    public static StreamSchema ParseStream(JsonNode json)
    {
        var descriptor = Descriptor(json);
        IReadOnlyList<ColumnSchema> columns;
        if (json["x-sluice-columns"] is JsonArray sluiceColumns)
        {
            columns = sluiceColumns.Select(c => new ColumnSchema(
                c!["name"]!.GetValue<string>(),
                LogicalType.Parse(c["type"]!.GetValue<string>()),
                c["nullable"]?.GetValue<bool>() ?? true,
                c["native_type"]?.GetValue<string>())).ToList();
        }
        else
        {
            var properties = json["json_schema"]?["properties"] as JsonObject ?? [];
            columns = properties.Select(p => new ColumnSchema(p.Key, JsonSchemaTypes.FromJsonSchema(p.Value), true)).ToList();
        }
        return new StreamSchema
        {
            Descriptor = descriptor,
            Columns = columns,
            SupportedSyncModes = (json["supported_sync_modes"] as JsonArray)?.Select(m => SyncModeNames.ParseSyncMode(m!.GetValue<string>())).ToList() ?? [SyncMode.FullRefresh],
            SourceDefinedCursor = json["source_defined_cursor"]?.GetValue<bool>() ?? false,
            DefaultCursorField = Strings(json["default_cursor_field"]),
            PrimaryKey = ParsePaths(json["source_defined_primary_key"]),
            CursorCandidates = Strings(json["x-sluice-cursor-candidates"]),
            EstimatedRows = json["x-sluice-estimated-rows"]?.GetValue<long>(),
        };
    }

    public static SourceCatalog ParseCatalog(JsonNode json) =>
        new((json["streams"] as JsonArray ?? throw new FormatException("catalog has no 'streams' list")).Select(s => ParseStream(s!)).ToList());

    public static JsonObject ToJson(ConfiguredStream stream)
    {
        var json = new JsonObject
        {
            ["stream"] = ToJson(stream.Stream),
            ["sync_mode"] = stream.SyncMode.ToProtocol(),
            ["destination_sync_mode"] = stream.DestinationSyncMode.ToProtocol(),
            ["cursor_field"] = new JsonArray(stream.CursorField.Select(f => (JsonNode)f).ToArray()),
            ["primary_key"] = Paths(stream.PrimaryKey),
        };
        if (stream.DestinationName is not null)
            json["destination_object_name"] = stream.DestinationName;
        if (stream.DestinationNamespace is not null)
            json["x-sluice-destination-namespace"] = stream.DestinationNamespace;
        if (stream.SelectedColumns is not null)
            json["x-sluice-selected-columns"] = new JsonArray(stream.SelectedColumns.Select(c => (JsonNode)c).ToArray());
        if (stream.Mappings.Count > 0)
            json["x-sluice-mappings"] = new JsonArray(stream.Mappings.Select(m => (JsonNode)new JsonObject
            {
                ["column"] = m.Column,
                ["kind"] = m.Kind.ToString().ToLowerInvariant(),
                ["new_name"] = m.NewName,
            }).ToArray());
        return json;
    }

    public static JsonObject ToJson(ConfiguredCatalog catalog) =>
        new() { ["streams"] = new JsonArray(catalog.Streams.Select(s => (JsonNode)ToJson(s)).ToArray()) };

    public static ConfiguredCatalog ParseConfiguredCatalog(JsonNode json) =>
        new((json["streams"] as JsonArray ?? throw new FormatException("configured catalog has no 'streams' list")).Select(s => new ConfiguredStream
        {
            Stream = ParseStream(s!["stream"]!),
            SyncMode = SyncModeNames.ParseSyncMode(s["sync_mode"]?.GetValue<string>() ?? "full_refresh"),
            DestinationSyncMode = SyncModeNames.ParseDestinationSyncMode(s["destination_sync_mode"]?.GetValue<string>() ?? "append"),
            CursorField = Strings(s["cursor_field"]),
            PrimaryKey = ParsePaths(s["primary_key"]) is { Count: > 0 } pk ? pk : ParsePaths(s["stream"]!["source_defined_primary_key"]),
            DestinationName = s["destination_object_name"]?.GetValue<string>(),
            DestinationNamespace = s["x-sluice-destination-namespace"]?.GetValue<string>(),
            SelectedColumns = s["x-sluice-selected-columns"] is JsonArray selected ? Strings(selected) : null,
            Mappings = (s["x-sluice-mappings"] as JsonArray)?.Select(m => new ColumnMapping(
                m!["column"]!.GetValue<string>(),
                Enum.Parse<ColumnMappingKind>(m["kind"]!.GetValue<string>(), ignoreCase: true),
                m["new_name"]?.GetValue<string>())).ToList() ?? [],
        }).ToList());

    private static JsonArray Paths(IReadOnlyList<IReadOnlyList<string>> paths) =>
        new(paths.Select(p => (JsonNode)new JsonArray(p.Select(f => (JsonNode)f).ToArray())).ToArray());

    private static IReadOnlyList<IReadOnlyList<string>> ParsePaths(JsonNode? json) =>
        (json as JsonArray)?.Select(p => (IReadOnlyList<string>)Strings(p)).ToList() ?? [];

    private static List<string> Strings(JsonNode? json) =>
        (json as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [];
}
