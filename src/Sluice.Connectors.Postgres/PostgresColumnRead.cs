using Sluice.Core.Catalog;
using Sluice.Core.Types;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>How one column is read out of binary COPY: the SELECT expression and the typed read that matches it.</summary>
internal enum ReadKind { Boolean, Int16, Int32, Int64, Float32, Float64, Numeric, Text, Bytes, Date, Time, TimeTz, Timestamp }

internal sealed record PostgresColumnRead(ColumnSchema Column, string Expression, ReadKind Kind)
{
    /// <summary>
    /// Fixed-width types and numeric(p,s) are read in their binary form (numeric straight into decimal128's unscaled
    /// integer); unconstrained numeric, uuid, json, interval (iso_8601 session style), enums, citext and unknown types
    /// travel as text by rule, their UTF-8 bytes copied as they come; arrays as JSON text.
    /// </summary>
    public static PostgresColumnRead For(ColumnSchema column)
    {
        var name = Quote(column.Name);
        return column.Type.Kind switch
        {
            LogicalKind.Boolean => new(column, name, ReadKind.Boolean),
            LogicalKind.Int16 => new(column, name, ReadKind.Int16),
            LogicalKind.Int32 => new(column, name, ReadKind.Int32),
            LogicalKind.Int64 => new(column, name, ReadKind.Int64),
            LogicalKind.Float32 => new(column, name, ReadKind.Float32),
            LogicalKind.Float64 => new(column, name, ReadKind.Float64),
            LogicalKind.Decimal => new(column, name, ReadKind.Numeric),
            LogicalKind.Binary => new(column, name, ReadKind.Bytes),
            LogicalKind.Date => new(column, name, ReadKind.Date),
            LogicalKind.Time => new(column, name, ReadKind.Time),
            LogicalKind.TimeTz => new(column, name, ReadKind.TimeTz),
            LogicalKind.Timestamp or LogicalKind.TimestampTz => new(column, name, ReadKind.Timestamp),
            LogicalKind.Array => new(column, $"to_json({name})::text", ReadKind.Text),
            _ => new(column, name + "::text", ReadKind.Text),
        };
    }
}
