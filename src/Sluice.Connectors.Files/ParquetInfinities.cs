using Apache.Arrow;
using System.Runtime.InteropServices;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>
/// ±infinity dates and timestamps have no Parquet form: Sluice's sentinels (the extreme int and long) would be
/// written as dates no reader can represent, so they are clamped to the largest and smallest DateTime, as readers
/// (and Sluice before ParquetSharp) show them. A column without a sentinel is passed on untouched, without a copy.
/// </summary>
internal static class ParquetInfinities
{
    private static readonly DateOnly Epoch = new(1970, 1, 1);
    private static readonly int MaxDays = DateOnly.MaxValue.DayNumber - Epoch.DayNumber;
    private static readonly int MinDays = DateOnly.MinValue.DayNumber - Epoch.DayNumber;
    private static readonly long MaxMicros = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    private static readonly long MinMicros = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public static IArrowArray Clamp(IArrowArray array) => array switch
    {
        Date32Array dates when Has(dates.Data, ArrowTypes.PositiveInfinityDays, ArrowTypes.NegativeInfinityDays) =>
            new Date32Array(Replaced(dates.Data, ArrowTypes.PositiveInfinityDays, MaxDays, ArrowTypes.NegativeInfinityDays, MinDays)),
        TimestampArray instants when Has(instants.Data, ArrowTypes.PositiveInfinityMicros, ArrowTypes.NegativeInfinityMicros) =>
            new TimestampArray(Replaced(instants.Data, ArrowTypes.PositiveInfinityMicros, MaxMicros, ArrowTypes.NegativeInfinityMicros, MinMicros)),
        _ => array,
    };

    private static ReadOnlySpan<T> Values<T>(ArrayData data) where T : struct, IEquatable<T> =>
        MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, data.Length);

    private static bool Has<T>(ArrayData data, T positive, T negative) where T : struct, IEquatable<T> =>
        Values<T>(data).IndexOfAny(positive, negative) >= 0;

    /// <summary>A copy of the values buffer with the sentinels replaced; validity and offset are shared.</summary>
    private static ArrayData Replaced<T>(ArrayData data, T positive, T positiveClamp, T negative, T negativeClamp)
        where T : struct, IEquatable<T>
    {
        var copy = data.Buffers[1].Span.ToArray();
        var values = MemoryMarshal.Cast<byte, T>(copy.AsSpan());
        values.Replace(positive, positiveClamp);
        values.Replace(negative, negativeClamp);
        return new ArrayData(data.DataType, data.Length, data.NullCount, data.Offset, [data.Buffers[0], new ArrowBuffer(copy)]);
    }
}
