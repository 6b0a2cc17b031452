using MySqlConnector;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// One typed reader per column, chosen once per stream, that moves a non-null value from the driver into a column
/// buffer without boxing where the driver allows. Temporal readers append NULL for zero dates. Columns selected raw
/// (<see cref="MySqlColumnSelect.IsRaw"/>) are parsed from the server's text bytes: numbers and dates without a boxed
/// value or a string per value.
/// </summary>
internal delegate void ValueReader(MySqlDataReader reader, int ordinal, ColumnBuffer buffer);

internal static class MySqlValueReaders
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The reader of a column selected through <see cref="MySqlColumnSelect.Expression"/>.</summary>
    public static ValueReader For(ColumnSchema column, bool raw, MySqlRawBytes bytes) => raw ? Raw(column, bytes) : For(column);

    private static ValueReader Raw(ColumnSchema column, MySqlRawBytes bytes)
    {
        var name = column.Name;
        return column.Type.Kind switch
        {
            LogicalKind.Boolean => (r, i, b) => b.Append(MySqlRawText.Int64(bytes.Get(r, i), name) != 0),
            LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.Int64 => (r, i, b) => b.Append(MySqlRawText.Int64(bytes.Get(r, i), name)),
            LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64 => (r, i, b) => b.Append(MySqlRawText.UInt64(bytes.Get(r, i), name)),
            LogicalKind.Decimal => (r, i, b) => b.AppendUnscaled(MySqlRawText.Unscaled(bytes.Get(r, i), column.Type.Scale, name)),
            LogicalKind.Date => (r, i, b) => AppendOrNull(b, MySqlRawText.UnixDays(bytes.Get(r, i), name)),
            LogicalKind.Timestamp or LogicalKind.TimestampTz => (r, i, b) => AppendOrNull(b, MySqlRawText.UnixMicros(bytes.Get(r, i), name)),
            _ => throw new InvalidOperationException($"column '{name}' of type {column.Type} is not read from its raw text"),
        };
    }

    private static void AppendOrNull(ColumnBuffer buffer, long? value)
    {
        if (value is { } v)
            buffer.Append(v);
        else
            buffer.AppendNull(); // a zero date: NULL by the documented rule
    }

    public static ValueReader For(ColumnSchema column) => column.Type.Kind switch
    {
        LogicalKind.Boolean => (r, i, b) => b.Append(r.GetValue(i) switch { bool v => v, ulong u => u != 0, var v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0 }),
        LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.Int64 => (r, i, b) => b.Append(r.GetInt64(i)),
        LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64 => (r, i, b) => b.Append(r.GetUInt64(i)),
        LogicalKind.Float32 => (r, i, b) => b.Append((double)r.GetFloat(i)),
        LogicalKind.Float64 => (r, i, b) => b.Append(r.GetDouble(i)),
        // System.Decimal holds 28 digits exactly; wider values go through the driver's text form.
        LogicalKind.Decimal when column.Type.Precision <= 28 => (r, i, b) => b.Append(r.GetDecimal(i)),
        LogicalKind.Decimal => (r, i, b) => b.AppendDecimalText(r.GetMySqlDecimal(i).ToString()),
        LogicalKind.BigDecimal => (r, i, b) => b.Append(r.GetMySqlDecimal(i).ToString()),
        LogicalKind.Binary => (r, i, b) => b.Append((byte[])r.GetValue(i)),
        LogicalKind.Date => ReadDate,
        LogicalKind.Timestamp or LogicalKind.TimestampTz => ReadTimestamp,
        LogicalKind.Time => (r, i, b) => b.Append(TimeMicros(r.GetTimeSpan(i), column.Name)),
        _ => (r, i, b) => b.Append(r.GetString(i)),
    };

    private static void ReadDate(MySqlDataReader reader, int ordinal, ColumnBuffer buffer)
    {
        var value = reader.GetMySqlDateTime(ordinal);
        if (!value.IsValidDateTime)
        {
            buffer.AppendNull(); // a zero date such as '0000-00-00' or '2024-00-10': NULL by the documented rule
            return;
        }
        buffer.Append((long)(new DateOnly(value.Year, value.Month, value.Day).DayNumber - UnixEpochDay));
    }

    // TIMESTAMP arrives in the session time zone, which Sluice sets to UTC; DATETIME is taken as written.
    private static void ReadTimestamp(MySqlDataReader reader, int ordinal, ColumnBuffer buffer)
    {
        var value = reader.GetMySqlDateTime(ordinal);
        if (!value.IsValidDateTime)
        {
            buffer.AppendNull();
            return;
        }
        var ticks = new DateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second).Ticks + value.Microsecond * 10L;
        buffer.Append((ticks - UnixEpochTicks) / 10);
    }

    /// <summary>MySQL TIME spans -838:59:59 to 838:59:59; only a time of day fits Sluice's time type, so others fail loudly.</summary>
    private static long TimeMicros(TimeSpan value, string column)
    {
        if (value < TimeSpan.Zero || value >= TimeSpan.FromDays(1))
            throw new InvalidDataException(
                $"column '{column}' holds TIME value {value} outside 00:00:00..23:59:59.999999, which is not a time of day; " +
                $"read it through a view that converts it, e.g. TIME_TO_SEC(`{column}`) as seconds");
        return value.Ticks / 10;
    }
}
