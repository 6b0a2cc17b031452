using System.Buffers.Binary;
using System.Globalization;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Encodes the values Sluice carries as text (exact decimals, ISO intervals, times with offsets) into PostgreSQL's
/// binary wire format, which Npgsql's typed writes cannot do for numerics beyond System.Decimal's 28 digits.
/// </summary>
internal static class PgBinaryText
{
    private const short NumericPositive = 0x0000, NumericNegative = 0x4000, NumericNaN = unchecked((short)0xC000);
    private const short NumericPosInf = unchecked((short)0xD000), NumericNegInf = unchecked((short)0xF000);

    public static void WriteNumeric(ReadOnlySpan<char> text, PgCopyBuffer buffer)
    {
        text = text.Trim();
        switch (text)
        {
            case "NaN" or "nan": WriteNumericHeader(buffer, 0, 0, NumericNaN, 0); return;
            case "Infinity" or "+Infinity" or "inf": WriteNumericHeader(buffer, 0, 0, NumericPosInf, 0); return;
            case "-Infinity" or "-inf": WriteNumericHeader(buffer, 0, 0, NumericNegInf, 0); return;
        }
        var negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is '-' or '+')
            text = text[1..];
        var exponent = 0;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : text[(dot + 1)..];
        if (whole.Length + fraction.Length == 0 || !IsDigits(whole) || !IsDigits(fraction))
            throw new FormatException($"'{text}' is not a decimal number");
        var all = string.Concat(whole, fraction);
        var point = whole.Length + exponent; // decimal point position within 'all'
        var dscale = Math.Max(0, all.Length - point);
        var lead = all.Length - all.TrimStart('0').Length;
        all = all[lead..];
        point -= lead;
        // Align to base-10000 groups around the decimal point.
        var padFront = ((4 - point % 4) % 4 + 4) % 4;
        point += padFront;
        all = new string('0', padFront) + all;
        var total = Math.Max(point, all.Length);
        total += (4 - total % 4) % 4;
        all = all.PadRight(total, '0');
        var groups = new short[total / 4];
        for (var i = 0; i < groups.Length; i++)
            groups[i] = short.Parse(all.AsSpan(i * 4, 4), CultureInfo.InvariantCulture);
        var weight = point / 4 - 1;
        int first = 0, last = groups.Length;
        while (first < last && groups[first] == 0) { first++; weight--; }
        while (last > first && groups[last - 1] == 0) last--;
        var count = last - first;
        if (count == 0)
        {
            WriteNumericHeader(buffer, 0, 0, NumericPositive, dscale);
            return;
        }
        WriteNumericHeader(buffer, count, weight, negative ? NumericNegative : NumericPositive, dscale);
        for (var i = first; i < last; i++)
            buffer.WriteInt16(groups[i]);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9')
                return false;
        return true;
    }

    private static void WriteNumericHeader(PgCopyBuffer buffer, int count, int weight, short sign, int dscale)
    {
        buffer.WriteInt32(8 + 2 * count);
        buffer.WriteInt16((short)count);
        buffer.WriteInt16((short)weight);
        buffer.WriteInt16(sign);
        buffer.WriteInt16((short)dscale);
    }

    /// <summary>ISO 8601 duration (PostgreSQL's iso_8601 interval style, e.g. P1Y2M3DT4H5M6.5S, P-1D) to interval.</summary>
    public static void WriteInterval(ReadOnlySpan<char> text, PgCopyBuffer buffer)
    {
        var s = text.Trim();
        var negateAll = s.Length > 0 && s[0] == '-';
        if (negateAll)
            s = s[1..];
        if (s.Length == 0 || s[0] != 'P')
            throw new FormatException($"'{text}' is not an ISO 8601 duration (e.g. P1DT2H)");
        decimal months = 0, days = 0, micros = 0;
        var time = false;
        var i = 1;
        while (i < s.Length)
        {
            if (s[i] == 'T') { time = true; i++; continue; }
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '-' or '+' or '.' or ','))
                i++;
            if (i == start || i >= s.Length)
                throw new FormatException($"'{text}' is not an ISO 8601 duration (e.g. P1DT2H)");
            var n = decimal.Parse(s[start..i].ToString().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (time, s[i])
            {
                case (false, 'Y'): months += n * 12; break;
                case (false, 'M'): months += n; break;
                case (false, 'W'): days += n * 7; break;
                case (false, 'D'): days += n; break;
                case (true, 'H'): micros += n * 3_600_000_000m; break;
                case (true, 'M'): micros += n * 60_000_000m; break;
                case (true, 'S'): micros += n * 1_000_000m; break;
                default: throw new FormatException($"'{text}' is not an ISO 8601 duration: unexpected '{s[i]}'");
            }
            i++;
        }
        var sign = negateAll ? -1 : 1;
        buffer.WriteInt32(16);
        buffer.WriteInt64(sign * (long)Math.Round(micros));
        buffer.WriteInt32(sign * (int)days);
        buffer.WriteInt32(sign * (int)months);
    }

    /// <summary>HH:mm:ss[.ffffff]±hh[:mm[:ss]] to timetz: microseconds of the day, then the zone in seconds west of UTC.</summary>
    public static void WriteTimeTz(ReadOnlySpan<char> text, PgCopyBuffer buffer)
    {
        var s = text.Trim();
        var at = s.LastIndexOfAny('+', '-');
        var zoneSeconds = 0;
        if (at > 0)
        {
            zoneSeconds = (int)(ParseClock(s[(at + 1)..]) / 1_000_000) * (s[at] == '-' ? -1 : 1);
            s = s[..at];
        }
        else if (s.EndsWith("Z", StringComparison.Ordinal))
        {
            s = s[..^1];
        }
        buffer.WriteInt32(12);
        buffer.WriteInt64(ParseClock(s));
        buffer.WriteInt32(-zoneSeconds);
    }

    /// <summary>h[:m[:s[.f]]] to microseconds (hh alone or hhmm are offset forms).</summary>
    private static long ParseClock(ReadOnlySpan<char> s)
    {
        Span<Range> parts = stackalloc Range[4];
        var n = s.Split(parts, ':');
        if (n == 1 && s.Length == 4)
            return (long.Parse(s[..2], CultureInfo.InvariantCulture) * 3600 + long.Parse(s[2..], CultureInfo.InvariantCulture) * 60) * 1_000_000;
        decimal micros = 0;
        decimal[] units = [3_600_000_000m, 60_000_000m, 1_000_000m];
        for (var i = 0; i < n && i < 3; i++)
            micros += decimal.Parse(s[parts[i]], NumberStyles.Float, CultureInfo.InvariantCulture) * units[i];
        return (long)Math.Round(micros);
    }

    public static void WriteUuid(ReadOnlySpan<char> text, PgCopyBuffer buffer)
    {
        var guid = Guid.Parse(text);
        buffer.WriteInt32(16);
        guid.TryWriteBytes(buffer.Reserve(16), bigEndian: true, out _);
    }

    public static void WriteInt64Field(PgCopyBuffer buffer, long value)
    {
        buffer.WriteInt32(8);
        BinaryPrimitives.WriteInt64BigEndian(buffer.Reserve(8), value);
    }
}
