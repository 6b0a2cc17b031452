namespace Sluice.Core.Catalog;

/// <summary>A stream as a connection configures it (Airbyte's <c>ConfiguredAirbyteStream</c>).</summary>
public sealed record ConfiguredStream
{
    public required StreamSchema Stream { get; init; }
    public SyncMode SyncMode { get; init; } = SyncMode.FullRefresh;
    public DestinationSyncMode DestinationSyncMode { get; init; } = DestinationSyncMode.Overwrite;
    public IReadOnlyList<string> CursorField { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<string>> PrimaryKey { get; init; } = [];
    /// <summary>Selected columns; null selects all.</summary>
    public IReadOnlyList<string>? SelectedColumns { get; init; }
    public IReadOnlyList<ColumnMapping> Mappings { get; init; } = [];
    /// <summary>Destination table name; defaults to the stream name with the connection's prefix.</summary>
    public string? DestinationName { get; init; }
    /// <summary>Destination namespace (schema); null uses the destination's default.</summary>
    public string? DestinationNamespace { get; init; }

    public StreamDescriptor Descriptor => Stream.Descriptor;
    public string TargetName => DestinationName ?? Stream.Name;

    /// <summary>
    /// The columns a destination table gets before any batch arrives (an empty stream still creates its table): the
    /// read columns after renames; hashed and masked columns become text.
    /// </summary>
    public IReadOnlyList<ColumnSchema> TargetColumns() =>
        ReadColumns().Select(column =>
        {
            var mapping = Mappings.LastOrDefault(m => m.Column == column.Name);
            return mapping?.Kind switch
            {
                ColumnMappingKind.Rename when mapping.NewName is not null => column with { Name = mapping.NewName },
                ColumnMappingKind.Hash or ColumnMappingKind.Mask => column with { Type = Types.LogicalType.String },
                _ => column,
            };
        }).ToList();

    /// <summary>The columns the source must read: the selection, without dropped columns.</summary>
    public IReadOnlyList<ColumnSchema> ReadColumns()
    {
        var dropped = Mappings.Where(m => m.Kind == ColumnMappingKind.Drop).Select(m => m.Column).ToHashSet(StringComparer.Ordinal);
        return Stream.Columns
            .Where(c => SelectedColumns is null || SelectedColumns.Contains(c.Name))
            .Where(c => !dropped.Contains(c.Name))
            .ToList();
    }
}
