namespace Sluice.Metadata.Relational;

/// <summary>
/// Reads the one shape Microsoft.Data.Sqlite stores a DateTimeOffset in, <c>yyyy-MM-dd HH:mm:ss[.f…]±hh:mm</c>, digit by
/// digit: on a list of a hundred rows the culture-aware parsers were a tenth of the request. Anything else is left to them.
/// </summary>
internal static class SqliteTime
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var s = text.AsSpan();
        if (s.Length < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;
        var i = 19;
        long fraction = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 7)
                fraction = fraction * 10 + (s[i++] - '0');
            if (i == start)
                return false;
            for (var scale = i - start; scale < 7; scale++)
                fraction *= 10;
        }
        if (s.Length - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':'
            || !Digits(s, i + 1, 2, out var offsetHours) || !Digits(s, i + 4, 2, out var offsetMinutes))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offsetHours > 14 || offsetMinutes > 59)
            return false;
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        if (s[i] == '-')
            offset = -offset;
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fraction);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
            return false;
        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
                return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
