using System.Globalization;

namespace Sluice.Core.Batches;

/// <summary>Exact conversions between decimal text and unscaled 128-bit integers at a given scale (decimal128's form).</summary>
public static class DecimalText
{
    private static readonly Int128[] Powers = BuildPowers();

    private static Int128[] BuildPowers()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
            powers[i] = powers[i - 1] * 10;
        return powers;
    }

    public static Int128 Pow10(int exponent) => Powers[exponent];

    /// <summary>The unscaled value at <paramref name="toScale"/>; dropping a nonzero fractional digit is an error, not a rounding.</summary>
    /// <remarks>Generic in the value shown in errors, so the common path neither boxes nor formats it.</remarks>
    public static Int128 Rescale<T>(Int128 unscaled, int fromScale, int toScale, T shown) where T : notnull =>
        TryRescale(unscaled, fromScale, toScale, out var result) ? result : throw Failure(shown.ToString(), fromScale, toScale);

    private static bool TryRescale(Int128 unscaled, int fromScale, int toScale, out Int128 result)
    {
        result = unscaled;
        if (fromScale == toScale)
            return true;
        if (fromScale < toScale)
        {
            var shift = toScale - fromScale;
            if (shift >= Powers.Length)
                return false;
            result = checked(unscaled * Powers[shift]);
            return true;
        }
        var drop = fromScale - toScale;
        if (drop >= Powers.Length)
        {
            result = 0;
            return unscaled == 0;
        }
        var quotient = Int128.DivRem(unscaled, Powers[drop]);
        result = quotient.Quotient;
        return quotient.Remainder == 0;
    }

    private static OverflowException Failure(string? shown, int fromScale, int toScale) => fromScale < toScale
        ? new($"{shown} does not fit a decimal of scale {toScale}")
        : Lossy(shown, toScale);

    /// <summary>Parses [-+]digits[.digits][e[-+]digits] exactly into the unscaled value at <paramref name="scale"/>.</summary>
    public static Int128 ParseUnscaled(ReadOnlySpan<char> text, int scale)
    {
        var s = text.Trim();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        var exponent = 0;
        var e = s.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        Int128 value = 0;
        var digits = 0;
        var fraction = 0;
        var seenPoint = false;
        foreach (var c in s)
        {
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            if (c is < '0' or > '9')
                throw new FormatException($"'{text}' is not a decimal number");
            value = checked(value * 10 + (c - '0'));
            digits++;
            if (seenPoint)
                fraction++;
        }
        if (digits == 0)
            throw new FormatException($"'{text}' is not a decimal number");
        var from = fraction - exponent < 0 ? 0 : fraction - exponent;
        var unscaled = TryRescale(value, from, scale, out var rescaled) ? rescaled : throw Failure(text.ToString(), from, scale);
        if (fraction - exponent < 0)
            unscaled = checked(unscaled * Pow10(exponent - fraction));
        return negative ? -unscaled : unscaled;
    }

    /// <summary>Canonical text of an unscaled value: 12.30 at scale 2, -0.05, 7 at scale 0.</summary>
    public static string Format(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var digits = (negative ? -unscaled : unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        }
        return negative ? "-" + digits : digits;
    }

    private static OverflowException Lossy(string? shown, int scale) =>
        new($"{shown} has more fractional digits than the column's scale {scale}; it would be rounded");
}
