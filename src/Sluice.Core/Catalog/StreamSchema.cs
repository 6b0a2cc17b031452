using System.Text.Json.Nodes;
using Sluice.Core.Types;

namespace Sluice.Core.Catalog;

/// <summary>A stream as a source discovers it (Airbyte's <c>AirbyteStream</c>), with typed columns.</summary>
public sealed record StreamSchema
{
    public required StreamDescriptor Descriptor { get; init; }
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }
    public IReadOnlyList<SyncMode> SupportedSyncModes { get; init; } = [SyncMode.FullRefresh];
    public IReadOnlyList<IReadOnlyList<string>> PrimaryKey { get; init; } = [];
    public bool SourceDefinedCursor { get; init; }
    public IReadOnlyList<string> DefaultCursorField { get; init; } = [];
    /// <summary>Columns whose type can order an incremental read (the user picks one; the first is the default).</summary>
    public IReadOnlyList<string> CursorCandidates { get; init; } = [];
    /// <summary>Estimated row count, when the source can tell cheaply.</summary>
    public long? EstimatedRows { get; init; }

    public string Name => Descriptor.Name;
    public string? Namespace => Descriptor.Namespace;

    public ColumnSchema? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The Airbyte JSON schema of a record of this stream.</summary>
    public JsonObject ToJsonSchema()
    {
        var properties = new JsonObject();
        foreach (var column in Columns)
            properties[column.Name] = JsonSchemaTypes.For(column.Type, column.Nullable);
        return new JsonObject
        {
            ["type"] = "object",
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["properties"] = properties,
        };
    }
}
