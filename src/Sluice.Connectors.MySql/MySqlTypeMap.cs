using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// MySQL and MariaDB column types to Sluice's logical types and back. The rules that lose or bend something are
/// written down in docs/connectors/mysql.md: tinyint(1) is boolean, bit(1) boolean and bit(n&gt;1) uint64, year int16,
/// decimal precision over 38 is bigdecimal text, timestamp is UTC, geometry is WKB bytes.
/// </summary>
internal static class MySqlTypeMap
{
    /// <summary>A column as information_schema.COLUMNS describes it.</summary>
    public sealed record NativeColumn(string DataType, string ColumnType, long? Precision, long? Scale, bool IsJson = false)
    {
        public bool Unsigned => ColumnType.Contains("unsigned", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly HashSet<string> Geometry = new(StringComparer.OrdinalIgnoreCase)
    {
        "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection",
    };

    public static bool IsGeometry(string dataType) => Geometry.Contains(dataType);

    public static LogicalType ToLogical(NativeColumn c)
    {
        if (c.IsJson)
            return LogicalType.Json;
        return c.DataType.ToLowerInvariant() switch
        {
            "tinyint" when c.ColumnType.StartsWith("tinyint(1)", StringComparison.OrdinalIgnoreCase) => LogicalType.Boolean,
            "tinyint" => c.Unsigned ? LogicalType.UInt8 : LogicalType.Int8,
            "smallint" => c.Unsigned ? LogicalType.UInt16 : LogicalType.Int16,
            "mediumint" or "int" or "integer" => c.Unsigned ? LogicalType.UInt32 : LogicalType.Int32,
            "bigint" => c.Unsigned ? LogicalType.UInt64 : LogicalType.Int64,
            "decimal" or "numeric" => LogicalType.Decimal((int)(c.Precision ?? 10), (int)(c.Scale ?? 0)),
            "float" => LogicalType.Float32,
            "double" or "real" or "double precision" => LogicalType.Float64,
            "bit" => c.Precision is null or 1 ? LogicalType.Boolean : LogicalType.UInt64,
            "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" or "enum" or "set" or "inet4" or "inet6" => LogicalType.String,
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => LogicalType.Binary,
            "date" => LogicalType.Date,
            "datetime" => LogicalType.Timestamp,
            "timestamp" => LogicalType.TimestampTz,
            "time" => LogicalType.Time,
            "year" => LogicalType.Int16,
            "json" => LogicalType.Json,
            "uuid" => LogicalType.Uuid,
            var t when IsGeometry(t) => LogicalType.Binary,
            _ => LogicalType.String,
        };
    }

    /// <summary>Types an incremental read can order by.</summary>
    /// <remarks>
    /// Text only for CHAR and VARCHAR: ORDER BY sorts TEXT columns by their first max_sort_length bytes while WHERE
    /// compares them whole, and ENUM / SET sort by their index but compare with a string as strings. BIT casts to bytes.
    /// </remarks>
    public static bool IsCursorCandidate(ColumnSchema column)
    {
        var native = column.NativeType ?? "";
        return Sluice.Core.Sources.KeyRangeRead.CanOrder(column.Type) && !native.StartsWith("bit", StringComparison.OrdinalIgnoreCase)
            && (column.Type.Kind != LogicalKind.String || native.StartsWith("varchar", StringComparison.OrdinalIgnoreCase) || native.StartsWith("char", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The column type a destination table gets for a logical type.</summary>
    public static string ToNative(LogicalType type, bool isKey) => type.Kind switch
    {
        LogicalKind.Boolean => "TINYINT(1)",
        LogicalKind.Int8 => "TINYINT",
        LogicalKind.Int16 => "SMALLINT",
        LogicalKind.Int32 => "INT",
        LogicalKind.Int64 => "BIGINT",
        LogicalKind.UInt8 => "TINYINT UNSIGNED",
        LogicalKind.UInt16 => "SMALLINT UNSIGNED",
        LogicalKind.UInt32 => "INT UNSIGNED",
        LogicalKind.UInt64 => "BIGINT UNSIGNED",
        LogicalKind.Float32 => "FLOAT",
        LogicalKind.Float64 => "DOUBLE",
        LogicalKind.Decimal => $"DECIMAL({type.Precision},{type.Scale})",
        // The widest exact type MySQL has; a value that does not fit fails the load rather than being rounded.
        LogicalKind.BigDecimal => "DECIMAL(65,30)",
        // Keys must be indexable, and TEXT/BLOB need a prefix length to be.
        LogicalKind.String => isKey ? "VARCHAR(255)" : "LONGTEXT",
        LogicalKind.Binary => isKey ? "VARBINARY(255)" : "LONGBLOB",
        LogicalKind.Date => "DATE",
        LogicalKind.Time => "TIME(6)",
        LogicalKind.TimeTz => "VARCHAR(32)",
        LogicalKind.Timestamp => "DATETIME(6)",
        // Stored as UTC in DATETIME(6): TIMESTAMP would cap the range at 2038 and convert by the session time zone.
        LogicalKind.TimestampTz => "DATETIME(6)",
        LogicalKind.Interval => "VARCHAR(64)",
        LogicalKind.Uuid => "CHAR(36)",
        LogicalKind.Json or LogicalKind.Array => "JSON",
        _ => isKey ? "VARCHAR(255)" : "LONGTEXT",
    };

    /// <summary>Bytes an index entry for a key column of this type can take (utf8mb4: 4 bytes a character).</summary>
    public static int KeyBytes(LogicalType type) => type.Kind switch
    {
        LogicalKind.String or LogicalKind.TimeTz or LogicalKind.Interval => 1020,
        LogicalKind.Binary => 255,
        LogicalKind.Uuid => 144,
        LogicalKind.Json or LogicalKind.Array => int.MaxValue / 4,
        _ => 16,
    };
}
