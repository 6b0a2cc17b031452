using System.Globalization;
using Sluice.Core.Types;

namespace Sluice.Connectors.DuckDb;

/// <summary>DuckDB type names (as information_schema spells them) to logical types and back; exact both ways where DuckDB has the type.</summary>
internal static class DuckDbTypes
{
    public static LogicalType FromNative(string native)
    {
        var text = native.Trim().ToUpperInvariant();
        if (text.EndsWith(']') || text.StartsWith("STRUCT", StringComparison.Ordinal) || text.StartsWith("MAP", StringComparison.Ordinal) || text.StartsWith("UNION", StringComparison.Ordinal))
            return LogicalType.Json;
        if (text.StartsWith("DECIMAL(", StringComparison.Ordinal) || text.StartsWith("NUMERIC(", StringComparison.Ordinal))
        {
            var args = text[(text.IndexOf('(') + 1)..].TrimEnd(')').Split(',', StringSplitOptions.TrimEntries);
            return LogicalType.Decimal(int.Parse(args[0], CultureInfo.InvariantCulture), args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0);
        }
        return text switch
        {
            "BOOLEAN" => LogicalType.Boolean,
            "TINYINT" => LogicalType.Int8,
            "SMALLINT" => LogicalType.Int16,
            "INTEGER" => LogicalType.Int32,
            "BIGINT" => LogicalType.Int64,
            "UTINYINT" => LogicalType.UInt8,
            "USMALLINT" => LogicalType.UInt16,
            "UINTEGER" => LogicalType.UInt32,
            "UBIGINT" => LogicalType.UInt64,
            // 39 digits do not fit decimal128's 38: carried as exact text.
            "HUGEINT" or "UHUGEINT" or "VARINT" or "BIGNUM" => LogicalType.BigDecimal,
            "FLOAT" or "REAL" => LogicalType.Float32,
            "DOUBLE" => LogicalType.Float64,
            "DECIMAL" or "NUMERIC" => LogicalType.Decimal(18, 3),
            "BLOB" or "BYTEA" => LogicalType.Binary,
            "DATE" => LogicalType.Date,
            "TIME" => LogicalType.Time,
            "TIME WITH TIME ZONE" or "TIMETZ" => LogicalType.TimeTz,
            "TIMESTAMP" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" or "DATETIME" => LogicalType.Timestamp,
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => LogicalType.TimestampTz,
            "INTERVAL" => LogicalType.Interval,
            "UUID" => LogicalType.Uuid,
            "JSON" => LogicalType.Json,
            _ => LogicalType.String,
        };
    }

    public static string ToNative(LogicalType type) => type.Kind switch
    {
        LogicalKind.Boolean => "BOOLEAN",
        LogicalKind.Int8 => "TINYINT",
        LogicalKind.Int16 => "SMALLINT",
        LogicalKind.Int32 => "INTEGER",
        LogicalKind.Int64 => "BIGINT",
        LogicalKind.UInt8 => "UTINYINT",
        LogicalKind.UInt16 => "USMALLINT",
        LogicalKind.UInt32 => "UINTEGER",
        LogicalKind.UInt64 => "UBIGINT",
        LogicalKind.Float32 => "FLOAT",
        LogicalKind.Float64 => "DOUBLE",
        LogicalKind.Decimal => $"DECIMAL({type.Precision},{type.Scale})",
        LogicalKind.Binary => "BLOB",
        LogicalKind.Date => "DATE",
        LogicalKind.Time => "TIME",
        LogicalKind.Timestamp => "TIMESTAMP",
        LogicalKind.TimestampTz => "TIMESTAMPTZ",
        LogicalKind.Uuid => "UUID",
        LogicalKind.Json or LogicalKind.Array => "JSON",
        // BigDecimal, TimeTz and Interval travel as text whose form DuckDB's own types would not keep exactly.
        _ => "VARCHAR",
    };

    /// <summary>The select expression that reads a column in the form its logical type travels in.</summary>
    public static string SelectExpression(string quotedColumn, LogicalType type, string native) => type.Kind switch
    {
        LogicalKind.Json when !native.Equals("JSON", StringComparison.OrdinalIgnoreCase) && !native.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase)
            => $"CAST(to_json({quotedColumn}) AS VARCHAR)",
        // Exact text: a .NET decimal holds 28 digits, DuckDB's decimals 38.
        LogicalKind.Decimal or LogicalKind.BigDecimal or LogicalKind.Interval or LogicalKind.TimeTz or LogicalKind.String or LogicalKind.Json
            => $"CAST({quotedColumn} AS VARCHAR)",
        _ => quotedColumn,
    };

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualified(string schema, string table) => $"{Quote(schema)}.{Quote(table)}";
}
