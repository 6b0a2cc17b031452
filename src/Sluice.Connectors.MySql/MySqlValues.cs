using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Sluice.Core.Batches;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Turns Arrow values into what MySQL loads: numbers, text in MySQL's literal formats, or bytes. Values MySQL cannot
/// store (NaN and ±infinity floats, PostgreSQL's infinite dates) become NULL, as the docs say.
/// </summary>
internal static class MySqlValues
{
    public delegate object? Getter(int row);

    public static Getter For(IArrowArray array) => array switch
    {
        BooleanArray a => row => a.GetValue(row),
        Int8Array a => row => a.GetValue(row),
        Int16Array a => row => a.GetValue(row),
        Int32Array a => row => a.GetValue(row),
        Int64Array a => row => a.GetValue(row),
        UInt8Array a => row => a.GetValue(row),
        UInt16Array a => row => a.GetValue(row),
        UInt32Array a => row => a.GetValue(row),
        UInt64Array a => row => a.GetValue(row),
        FloatArray a => row => a.GetValue(row) is { } f && float.IsFinite(f) ? f : null,
        DoubleArray a => row => a.GetValue(row) is { } d && double.IsFinite(d) ? d : null,
        Decimal128Array a => row => a.IsNull(row) ? null : a.GetString(row),
        StringArray a => row => a.IsNull(row) ? null : a.GetString(row),
        BinaryArray a => row => a.IsNull(row) ? null : a.GetBytes(row).ToArray(),
        Date32Array a => row => a.IsNull(row) ? null : DateText(a.Values[row]),
        Time64Array a => row => a.IsNull(row) ? null : TimeText(Micros(a.Values[row], ((Time64Type)a.Data.DataType).Unit)),
        TimestampArray a => row => a.IsNull(row) ? null : TimestampText(Micros(a.Values[row], ((TimestampType)a.Data.DataType).Unit)),
        _ => row => ArrowValues.ToText(array, row),
    };

    private static long Micros(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Nanosecond => value / 1000,
        TimeUnit.Millisecond => value * 1000,
        TimeUnit.Second => value * 1_000_000,
        _ => value,
    };

    public static string? DateText(int days) => days is ArrowTypes.PositiveInfinityDays or ArrowTypes.NegativeInfinityDays
        ? null
        : RecordBatchBuilder.FromUnixDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TimeText(long micros) =>
        TimeSpan.FromTicks(micros * 10).ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture);

    public static string? TimestampText(long micros) => micros is ArrowTypes.PositiveInfinityMicros or ArrowTypes.NegativeInfinityMicros
        ? null
        : RecordBatchBuilder.FromUnixMicros(micros).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static string TimestampText(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
