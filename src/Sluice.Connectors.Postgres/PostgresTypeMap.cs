using Sluice.Core.Types;

namespace Sluice.Connectors.Postgres;

/// <summary>PostgreSQL types to Sluice logical types (discover) and back (destination DDL).</summary>
public static class PostgresTypeMap
{
    /// <summary>Maps a base type (domains resolved by the caller) from its pg_type name, category and typmod.</summary>
    public static LogicalType FromNative(string typeName, char category, char typeType, int typmod, string? elementTypeName = null)
    {
        if (category == 'A')
            return LogicalType.ArrayOf(elementTypeName is null ? LogicalType.String : FromNative(elementTypeName, ' ', 'b', -1));
        if (typeType == 'e')
            return LogicalType.String;
        return typeName switch
        {
            "bool" => LogicalType.Boolean,
            "int2" => LogicalType.Int16,
            "int4" => LogicalType.Int32,
            "int8" => LogicalType.Int64,
            "float4" => LogicalType.Float32,
            "float8" => LogicalType.Float64,
            "numeric" => Numeric(typmod),
            "bytea" => LogicalType.Binary,
            "date" => LogicalType.Date,
            "time" => LogicalType.Time,
            "timetz" => LogicalType.TimeTz,
            "timestamp" => LogicalType.Timestamp,
            "timestamptz" => LogicalType.TimestampTz,
            "interval" => LogicalType.Interval,
            "uuid" => LogicalType.Uuid,
            "json" or "jsonb" => LogicalType.Json,
            // text, varchar, bpchar, citext, name and every type we do not know travel as their text form.
            _ => LogicalType.String,
        };
    }

    /// <summary>numeric's typmod packs (precision &lt;&lt; 16 | scale) + 4; -1 means unconstrained.</summary>
    private static LogicalType Numeric(int typmod)
    {
        if (typmod < 4)
            return LogicalType.BigDecimal;
        var precision = ((typmod - 4) >> 16) & 0xFFFF;
        var scale = (short)((typmod - 4) & 0xFFFF); // PostgreSQL 15 allows negative scales
        return LogicalType.Decimal(precision, scale);
    }

    /// <summary>The column type a destination table gets for a logical type.</summary>
    public static string ToNative(LogicalType type) => type.Kind switch
    {
        LogicalKind.Boolean => "boolean",
        LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.UInt8 => "smallint",
        LogicalKind.Int32 or LogicalKind.UInt16 => "integer",
        LogicalKind.Int64 or LogicalKind.UInt32 => "bigint",
        LogicalKind.UInt64 => "numeric(20,0)",
        LogicalKind.Float32 => "real",
        LogicalKind.Float64 => "double precision",
        LogicalKind.Decimal => $"numeric({type.Precision},{type.Scale})",
        LogicalKind.BigDecimal => "numeric",
        LogicalKind.Binary => "bytea",
        LogicalKind.Date => "date",
        LogicalKind.Time => "time",
        LogicalKind.TimeTz => "timetz",
        LogicalKind.Timestamp => "timestamp",
        LogicalKind.TimestampTz => "timestamptz",
        LogicalKind.Interval => "interval",
        LogicalKind.Uuid => "uuid",
        // Arrays arrive as JSON text whatever their element type; jsonb keeps them queryable without guessing a native array type.
        LogicalKind.Json or LogicalKind.Array => "jsonb",
        _ => "text",
    };

    /// <summary>
    /// Columns that can order an incremental read (<see cref="Sluice.Core.Sources.KeyRangeRead.CanOrder"/>). Text only
    /// for the string types and enums, which PostgreSQL orders by collation (or declaration) in max, WHERE and ORDER
    /// BY alike; the types read as text for want of a mapping (xml, geometric, ranges) may have no order at all.
    /// </summary>
    /// <param name="baseTypeName">pg_type.typname of the column's base type; <paramref name="typeType"/> its typtype ('e' for an enum).</param>
    public static bool IsCursorCandidate(LogicalType type, string baseTypeName, char typeType) =>
        Sluice.Core.Sources.KeyRangeRead.CanOrder(type)
        && (type.Kind != LogicalKind.String || typeType == 'e' || baseTypeName is "text" or "varchar" or "bpchar" or "citext" or "name");
}
