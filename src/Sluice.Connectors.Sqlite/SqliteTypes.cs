using System.Globalization;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// SQLite has five storage classes and a declared type that only sets an affinity. Discover reads the declared
/// type: well-known names (BOOLEAN, DATE, DATETIME, DECIMAL(p,s), JSON, UUID...) give their logical type, anything
/// else falls back to SQLite's affinity rules. The destination declares types this mapping reads back.
/// </summary>
internal static class SqliteTypes
{
    /// <summary>SQLite keeps 15 significant digits of a REAL exactly; wider decimals are stored as text.</summary>
    public const int MaxRealDecimalPrecision = 15;

    /// <summary>TEXT affinity (the name contains TEXT) and a precision that holds 18446744073709551615.</summary>
    public const string UInt64Declared = "DECIMAL_TEXT(20,0)";

    public static LogicalType FromDeclared(string? declared)
    {
        var text = (declared ?? "").Trim().ToUpperInvariant();
        if (text.Length == 0)
            return LogicalType.String;
        var open = text.IndexOf('(');
        var name = (open < 0 ? text : text[..open]).Trim();
        var args = open < 0 ? [] : text[(open + 1)..].TrimEnd(')').Split(',', StringSplitOptions.TrimEntries);
        switch (name)
        {
            case "BOOLEAN" or "BOOL":
                return LogicalType.Boolean;
            case "DATE":
                return LogicalType.Date;
            case "TIME":
                return LogicalType.Time;
            case "TIMETZ" or "TIME WITH TIME ZONE":
                return LogicalType.TimeTz;
            case "DATETIME" or "TIMESTAMP":
                return LogicalType.Timestamp;
            case "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE":
                return LogicalType.TimestampTz;
            case "INTERVAL":
                return LogicalType.Interval;
            case "UUID":
                return LogicalType.Uuid;
            case "JSON" or "JSONB":
                return LogicalType.Json;
            case "DECIMAL" or "NUMERIC" or "DECIMAL_TEXT" when args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var precision):
                return LogicalType.Decimal(precision, args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var scale) ? scale : 0);
            case "DECIMAL" or "NUMERIC" or "NUMERIC_TEXT":
                return LogicalType.BigDecimal;
            // Written by other tools (and by Sluice before uint64 became DECIMAL_TEXT(20,0)); INTEGER affinity.
            case "UBIGINT" or "UNSIGNED BIG INT":
                return LogicalType.UInt64;
        }
        // SQLite's affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity), in order.
        if (text.Contains("INT", StringComparison.Ordinal))
            return LogicalType.Int64;
        if (text.Contains("CHAR", StringComparison.Ordinal) || text.Contains("CLOB", StringComparison.Ordinal) || text.Contains("TEXT", StringComparison.Ordinal))
            return LogicalType.String;
        if (text.Contains("BLOB", StringComparison.Ordinal))
            return LogicalType.Binary;
        if (text.Contains("REAL", StringComparison.Ordinal) || text.Contains("FLOA", StringComparison.Ordinal) || text.Contains("DOUB", StringComparison.Ordinal))
            return LogicalType.Float64;
        return LogicalType.BigDecimal;
    }

    /// <summary>The declared type a destination column gets; chosen so its affinity keeps the value exact.</summary>
    public static string ToDeclared(LogicalType type) => type.Kind switch
    {
        LogicalKind.Boolean => "BOOLEAN",
        // SQLite's INTEGER is signed 64-bit and turns a larger integer into a lossy REAL: uint64 is kept as exact
        // text, the same decimal(20,0) PostgreSQL's numeric(20,0) gives.
        LogicalKind.UInt64 => UInt64Declared,
        _ when type.IsInteger => "INTEGER",
        LogicalKind.Float32 or LogicalKind.Float64 => "REAL",
        LogicalKind.Decimal when type.Precision <= MaxRealDecimalPrecision => $"DECIMAL({type.Precision},{type.Scale})",
        // TEXT affinity: NUMERIC affinity would turn a wide decimal into a lossy REAL.
        LogicalKind.Decimal => $"DECIMAL_TEXT({type.Precision},{type.Scale})",
        LogicalKind.BigDecimal => "NUMERIC_TEXT",
        LogicalKind.Binary => "BLOB",
        LogicalKind.Date => "DATE",
        LogicalKind.Time => "TIME",
        LogicalKind.TimeTz => "TIMETZ",
        LogicalKind.Timestamp => "DATETIME",
        LogicalKind.TimestampTz => "TIMESTAMPTZ",
        LogicalKind.Interval => "INTERVAL",
        LogicalKind.Uuid => "UUID",
        LogicalKind.Json or LogicalKind.Array => "JSON",
        _ => "TEXT",
    };

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
