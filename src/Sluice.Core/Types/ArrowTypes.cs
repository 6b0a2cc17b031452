using Apache.Arrow;
using Apache.Arrow.Types;
using Sluice.Core.Catalog;

namespace Sluice.Core.Types;

/// <summary>
/// The Arrow representation of each logical type. The logical type itself travels in the field's metadata under
/// <see cref="LogicalTypeKey"/>, so a destination knows a string column is really JSON or an interval.
/// </summary>
public static class ArrowTypes
{
    public const string LogicalTypeKey = "sluice.type";

    /// <summary>Timestamps are microseconds since the Unix epoch. PostgreSQL's ±infinity map to these two values.</summary>
    public const long PositiveInfinityMicros = long.MaxValue;
    public const long NegativeInfinityMicros = long.MinValue;
    /// <summary>Dates are days since the Unix epoch; ±infinity map to these two values.</summary>
    public const int PositiveInfinityDays = int.MaxValue;
    public const int NegativeInfinityDays = int.MinValue;

    public static IArrowType ToArrow(LogicalType type) => type.Kind switch
    {
        LogicalKind.Boolean => BooleanType.Default,
        LogicalKind.Int8 => Int8Type.Default,
        LogicalKind.Int16 => Int16Type.Default,
        LogicalKind.Int32 => Int32Type.Default,
        LogicalKind.Int64 => Int64Type.Default,
        LogicalKind.UInt8 => UInt8Type.Default,
        LogicalKind.UInt16 => UInt16Type.Default,
        LogicalKind.UInt32 => UInt32Type.Default,
        LogicalKind.UInt64 => UInt64Type.Default,
        LogicalKind.Float32 => FloatType.Default,
        LogicalKind.Float64 => DoubleType.Default,
        LogicalKind.Decimal => new Decimal128Type(type.Precision, type.Scale),
        LogicalKind.Binary => BinaryType.Default,
        LogicalKind.Date => Date32Type.Default,
        LogicalKind.Time => new Time64Type(TimeUnit.Microsecond),
        LogicalKind.Timestamp => new TimestampType(TimeUnit.Microsecond, (string?)null),
        LogicalKind.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        _ => StringType.Default,
    };

    public static Field ToField(ColumnSchema column) =>
        new(column.Name, ToArrow(column.Type), column.Nullable,
            [new KeyValuePair<string, string>(LogicalTypeKey, column.Type.ToString())]);

    public static Schema ToSchema(IEnumerable<ColumnSchema> columns) => new(columns.Select(ToField), null);

    public static LogicalType LogicalTypeOf(Field field)
    {
        if (field.Metadata is not null && field.Metadata.TryGetValue(LogicalTypeKey, out var text))
            return LogicalType.Parse(text);
        return field.DataType switch
        {
            BooleanType => LogicalType.Boolean,
            Int8Type => LogicalType.Int8,
            Int16Type => LogicalType.Int16,
            Int32Type => LogicalType.Int32,
            Int64Type => LogicalType.Int64,
            UInt8Type => LogicalType.UInt8,
            UInt16Type => LogicalType.UInt16,
            UInt32Type => LogicalType.UInt32,
            UInt64Type => LogicalType.UInt64,
            FloatType => LogicalType.Float32,
            DoubleType => LogicalType.Float64,
            Decimal128Type d => LogicalType.Decimal(d.Precision, d.Scale),
            BinaryType => LogicalType.Binary,
            Date32Type => LogicalType.Date,
            Time64Type => LogicalType.Time,
            TimestampType t => string.IsNullOrEmpty(t.Timezone) ? LogicalType.Timestamp : LogicalType.TimestampTz,
            _ => LogicalType.String,
        };
    }

    public static ColumnSchema ToColumn(Field field) => new(field.Name, LogicalTypeOf(field), field.IsNullable);
}
