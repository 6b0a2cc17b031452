using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// The select expression of one source column, with a mapping computed by the server where it gives byte for byte
/// what the engine would: a rename only names the batch's column, a mask a constant for non-NULL values, a hash
/// SHA2 of the text the engine would hash (docs/mappings.md): <c>CONVERT(col USING utf8mb4)</c> for character,
/// integer and decimal columns (the server writes a decimal at its scale, as the engine does), <c>true</c>/<c>false</c>
/// for booleans, and DATE_FORMAT's ISO form for dates and date-times. Zero dates read as NULL, so they hash and mask to
/// NULL here too. Floats (different shortest forms), time, year ('0000'), binary, bit(n&gt;1) and json stay in the engine.
/// </summary>
internal static class MySqlColumnSelect
{
    private static readonly HashSet<string> HashableNative = new(StringComparer.OrdinalIgnoreCase)
    {
        "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
        "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric",
    };

    /// <summary>The expression for <paramref name="mapping"/> of <paramref name="column"/>, or null when the engine must apply it.</summary>
    public static string? PushDown(ColumnSchema column, ColumnMapping mapping)
    {
        var quoted = MySqlIdentifiers.Quote(column.Name);
        var isNull = IsTemporal(column)
            ? $"{quoted} is null or year({quoted}) = 0 or month({quoted}) = 0 or dayofmonth({quoted}) = 0"
            : $"{quoted} is null";
        // No alias: values are read by position, and an alias would capture ORDER BY of the key ranges.
        return mapping.Kind switch
        {
            ColumnMappingKind.Rename when mapping.NewName is not null => Value(column),
            ColumnMappingKind.Mask => $"case when {isNull} then null else '{ColumnMapping.MaskText}' end",
            ColumnMappingKind.Hash when HashedText(column, quoted) is { } text => $"case when {isNull} then null else sha2({text}, 256) end",
            _ => null,
        };
    }

    /// <summary>SQL for the text the engine hashes (<c>ArrowValues.ToText</c>), or null when the server cannot write it the same.</summary>
    private static string? HashedText(ColumnSchema column, string quoted) => column.Type.Kind switch
    {
        LogicalKind.Boolean when Native(column) is "tinyint" or "bit" => $"if({quoted} <> 0, 'true', 'false')",
        LogicalKind.Date when Native(column) == "date" => $"date_format({quoted}, '%Y-%m-%d')",
        LogicalKind.Timestamp when Native(column) == "datetime" => $"date_format({quoted}, '%Y-%m-%dT%H:%i:%s.%f')",
        // The session time zone is UTC (the reader sets it), so the formatted TIMESTAMP is the UTC instant.
        LogicalKind.TimestampTz when Native(column) == "timestamp" => $"concat(date_format({quoted}, '%Y-%m-%dT%H:%i:%s.%f'), 'Z')",
        LogicalKind.String or LogicalKind.Decimal when HashableNative.Contains(Native(column)) => $"convert({quoted} using utf8mb4)",
        _ when column.Type.IsInteger && HashableNative.Contains(Native(column)) => $"convert({quoted} using utf8mb4)",
        _ => null,
    };

    private static bool IsTemporal(ColumnSchema column) =>
        column.Type.Kind is LogicalKind.Date or LogicalKind.Timestamp or LogicalKind.TimestampTz && Native(column) is "date" or "datetime" or "timestamp";

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

    private static string Native(ColumnSchema column) => column.NativeType?.Split('(', ' ')[0].ToLowerInvariant() ?? "";

    private static readonly HashSet<string> NumberOrDateNative = new(StringComparer.OrdinalIgnoreCase)
    {
        "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "date", "datetime", "timestamp",
    };

    /// <summary>
    /// Whether the column is selected as the bytes of its text form (<see cref="MySqlValueReaders"/> parses them):
    /// integers, decimals up to 38 digits, dates and date-times, whose text the server writes in one fixed form and
    /// whose cast costs the server next to nothing. Text and JSON are not: a cast makes the server copy every value
    /// (about 0.3 s of its CPU per million values of a TEXT column, measured), more than the driver's string costs
    /// here. Mapped columns (hash, mask) stay text.
    /// </summary>
    public static bool IsRaw(ConfiguredStream stream, ColumnSchema column) =>
        MappingOf(stream, column) is null or { Kind: ColumnMappingKind.Rename } && IsRaw(column);

    private static bool IsRaw(ColumnSchema column) => column.Type.Kind switch
    {
        LogicalKind.Boolean => Native(column).Equals("tinyint", StringComparison.OrdinalIgnoreCase),
        var k when column.Type.IsInteger || k is LogicalKind.Decimal or LogicalKind.Date or LogicalKind.Timestamp or LogicalKind.TimestampTz =>
            NumberOrDateNative.Contains(Native(column)),
        _ => false,
    };

    /// <summary>Geometry goes out as standard WKB rather than MySQL's internal SRID-prefixed form.</summary>
    private static string Value(ColumnSchema column)
    {
        var quoted = MySqlIdentifiers.Quote(column.Name);
        if (MySqlTypeMap.IsGeometry(Native(column)))
            return $"ST_AsBinary({quoted})";
        return IsRaw(column) ? $"cast({quoted} as binary)" : quoted;
    }
}
