using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// The select expression of one source column, with a mapping computed by the server where it gives byte for byte
/// what the engine would: a rename only names the batch's column, a mask a constant for non-NULL values, a hash
/// <c>SHA2(CONVERT(col USING utf8mb4), 256)</c> for character and integer columns, whose text the driver returns
/// exactly as the server converts it. Other types (dates, times, decimals, floats, binary, bit, year, json) are
/// rendered differently by the engine, so their hashes stay in the engine.
/// </summary>
internal static class MySqlColumnSelect
{
    private static readonly HashSet<string> HashableNative = new(StringComparer.OrdinalIgnoreCase)
    {
        "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
        "tinyint", "smallint", "mediumint", "int", "integer", "bigint",
    };

    /// <summary>The expression for <paramref name="mapping"/> of <paramref name="column"/>, or null when the engine must apply it.</summary>
    public static string? PushDown(ColumnSchema column, ColumnMapping mapping)
    {
        var quoted = MySqlIdentifiers.Quote(column.Name);
        // No alias: values are read by position, and an alias would capture ORDER BY of the key ranges.
        return mapping.Kind switch
        {
            ColumnMappingKind.Rename when mapping.NewName is not null => Value(column),
            ColumnMappingKind.Mask => $"case when {quoted} is null then null else '{ColumnMapping.MaskText}' end",
            ColumnMappingKind.Hash when IsHashable(column) => $"sha2(convert({quoted} using utf8mb4), 256)",
            _ => null,
        };
    }

    /// <summary>The select expression of a column of <paramref name="stream"/>, with its mapping when the stream carries one.</summary>
    public static string Expression(ConfiguredStream stream, ColumnSchema column) =>
        MappingOf(stream, column) is { } mapping
            ? PushDown(column, mapping) ?? throw new InvalidOperationException($"the source cannot compute {mapping} in its query")
            : Value(column);

    /// <summary>The column as the query returns it: renamed, or text once hashed or masked.</summary>
    public static ColumnSchema Target(ConfiguredStream stream, ColumnSchema column) => MappingOf(stream, column) switch
    {
        { Kind: ColumnMappingKind.Rename, NewName: { } name } => column with { Name = name },
        { Kind: ColumnMappingKind.Hash or ColumnMappingKind.Mask } => column with { Type = LogicalType.String, NativeType = null },
        _ => column,
    };

    private static ColumnMapping? MappingOf(ConfiguredStream stream, ColumnSchema column) =>
        stream.Mappings.LastOrDefault(m => m.Column == column.Name && m.Kind != ColumnMappingKind.Drop);

    private static bool IsHashable(ColumnSchema column) =>
        (column.Type.Kind == LogicalKind.String || column.Type.IsInteger) && HashableNative.Contains(Native(column));

    private static string Native(ColumnSchema column) => column.NativeType?.Split('(', ' ')[0] ?? "";

    /// <summary>Geometry goes out as standard WKB rather than MySQL's internal SRID-prefixed form.</summary>
    private static string Value(ColumnSchema column)
    {
        var quoted = MySqlIdentifiers.Quote(column.Name);
        return MySqlTypeMap.IsGeometry(Native(column)) ? $"ST_AsBinary({quoted})" : quoted;
    }
}
