using System.Buffers.Binary;
using System.Numerics;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// PostgreSQL's binary numeric (base-10000 digits with a weight) to and from the unscaled 128-bit integers of Arrow
/// decimal128, without going through text or System.Decimal (which holds only 28 digits).
/// </summary>
internal static class PgNumeric
{
    private const ushort Negative = 0x4000, NaN = 0xC000, PositiveInfinity = 0xD000, NegativeInfinity = 0xF000;

    /// <summary>The value times 10^<paramref name="scale"/>; null for NaN and ±Infinity, which decimal128 cannot carry.</summary>
    public static Int128? ToUnscaled(ReadOnlySpan<byte> field, int scale, out string special)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(field);
        var weight = BinaryPrimitives.ReadInt16BigEndian(field[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(field[4..]);
        special = sign switch { NaN => "NaN", PositiveInfinity => "Infinity", NegativeInfinity => "-Infinity", _ => "" };
        if (special.Length > 0)
            return null;
        // acc holds the value times 10000^(count - 1 - weight); shift that to 10^scale.
        var shift = scale - 4 * (count - 1 - weight);
        Int128 result;
        if (count <= 9)
        {
            Int128 acc = 0;
            for (var i = 0; i < count; i++)
                acc = acc * 10000 + BinaryPrimitives.ReadInt16BigEndian(field[(8 + 2 * i)..]);
            result = Shift(acc, shift);
        }
        else
        {
            BigInteger acc = 0;
            for (var i = 0; i < count; i++)
                acc = acc * 10000 + BinaryPrimitives.ReadInt16BigEndian(field[(8 + 2 * i)..]);
            result = shift >= 0 ? checked((Int128)(acc * BigInteger.Pow(10, shift))) : checked((Int128)BigInteger.Divide(acc, BigInteger.Pow(10, -shift)));
        }
        return sign == Negative ? -result : result;
    }

    private static Int128 Shift(Int128 acc, int shift)
    {
        if (shift == 0 || acc == 0)
            return acc;
        if (shift > 0)
            return checked(acc * Sluice.Core.Batches.DecimalText.Pow10(shift));
        // PostgreSQL pads the last group with zeros, so dividing them off is exact for a value of the column's scale.
        return acc / Sluice.Core.Batches.DecimalText.Pow10(-shift);
    }

    /// <summary>Writes an unscaled value at <paramref name="scale"/> as a binary numeric field (length prefix included).</summary>
    public static void Write(Int128 unscaled, int scale, PgCopyBuffer buffer)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        Span<char> digits = stackalloc char[40];
        magnitude.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        digits = digits[..length];
        // Group k holds the decimal digits of 10^(4k) .. 10^(4k+3); k runs from the top integer group down to the last fraction group.
        var integerDigits = Math.Max(length - scale, 0);
        var top = (integerDigits + 3) / 4 - 1;
        var bottom = -((scale + 3) / 4);
        Span<short> groups = stackalloc short[24];
        var n = 0;
        for (var k = top; k >= bottom; k--)
        {
            var group = 0;
            for (var j = 3; j >= 0; j--)
            {
                var index = length - 1 - (4 * k + j + scale);
                group = group * 10 + (index >= 0 && index < length ? digits[index] - '0' : 0);
            }
            groups[n++] = (short)group;
        }
        var first = 0;
        while (first < n && groups[first] == 0)
            first++;
        var last = n;
        while (last > first && groups[last - 1] == 0)
            last--;
        var count = last - first;
        buffer.WriteInt32(8 + 2 * count);
        buffer.WriteInt16((short)count);
        buffer.WriteInt16((short)(count == 0 ? 0 : top - first));
        buffer.WriteInt16(negative && count > 0 ? unchecked((short)Negative) : (short)0);
        buffer.WriteInt16((short)scale);
        for (var i = first; i < last; i++)
            buffer.WriteInt16(groups[i]);
    }
}
