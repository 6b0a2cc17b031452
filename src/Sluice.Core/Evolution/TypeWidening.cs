using Sluice.Core.Types;

namespace Sluice.Core.Evolution;

/// <summary>
/// The one place that says which type changes a destination column can follow without losing or reinterpreting a
/// value already stored (docs/sync-modes.md lists them). Deliberately conservative: integer to float, anything to
/// text, timestamp to timestamptz and date to timestamp change what a value means or how exact it is, so they are
/// not widenings and pause a connection that appends.
/// </summary>
public static class TypeWidening
{
    public static bool IsSafe(LogicalType from, LogicalType to)
    {
        if (from == to)
            return true;
        if (from.IsInteger && to.IsInteger)
            return IntegerFits(from.Kind, to.Kind);
        if (from.IsInteger && to.Kind == LogicalKind.Decimal)
            return to.Precision - to.Scale >= Digits(from.Kind);
        if ((from.IsInteger || from.Kind == LogicalKind.Decimal) && to.Kind == LogicalKind.BigDecimal)
            return true;
        if (from.Kind == LogicalKind.Decimal && to.Kind == LogicalKind.Decimal)
            return to.Scale >= from.Scale && to.Precision - to.Scale >= from.Precision - from.Scale;
        return from.Kind == LogicalKind.Float32 && to.Kind == LogicalKind.Float64;
    }

    /// <summary>Every value of <paramref name="from"/> is a value of <paramref name="to"/>: same signedness and wider, or unsigned into a wider signed type.</summary>
    private static bool IntegerFits(LogicalKind from, LogicalKind to)
    {
        var (fromBits, fromSigned) = Width(from);
        var (toBits, toSigned) = Width(to);
        return fromSigned == toSigned ? toBits >= fromBits : !fromSigned && toSigned && toBits > fromBits;
    }

    private static (int Bits, bool Signed) Width(LogicalKind kind) => kind switch
    {
        LogicalKind.Int8 => (8, true),
        LogicalKind.Int16 => (16, true),
        LogicalKind.Int32 => (32, true),
        LogicalKind.Int64 => (64, true),
        LogicalKind.UInt8 => (8, false),
        LogicalKind.UInt16 => (16, false),
        LogicalKind.UInt32 => (32, false),
        LogicalKind.UInt64 => (64, false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Decimal digits the largest value of an integer kind needs.</summary>
    private static int Digits(LogicalKind kind) => kind switch
    {
        LogicalKind.Int8 or LogicalKind.UInt8 => 3,
        LogicalKind.Int16 or LogicalKind.UInt16 => 5,
        LogicalKind.Int32 or LogicalKind.UInt32 => 10,
        LogicalKind.Int64 => 19,
        LogicalKind.UInt64 => 20,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
