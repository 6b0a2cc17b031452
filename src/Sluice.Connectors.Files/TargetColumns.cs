using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>The columns a destination table gets, before any batch arrives (an empty stream still creates its table).</summary>
internal static class TargetColumns
{
    /// <summary>The stream's read columns after the connection's renames; hashed and masked columns become text.</summary>
    public static List<ColumnSchema> Of(ConfiguredStream stream) =>
        stream.ReadColumns().Select(column =>
        {
            var mapping = stream.Mappings.LastOrDefault(m => m.Column == column.Name);
            return mapping?.Kind switch
            {
                ColumnMappingKind.Rename when mapping.NewName is not null => column with { Name = mapping.NewName },
                ColumnMappingKind.Hash or ColumnMappingKind.Mask => column with { Type = LogicalType.String },
                _ => column,
            };
        }).ToList();

    public static List<ColumnSchema> Of(Schema schema) => schema.FieldsList.Select(ArrowTypes.ToColumn).ToList();
}
