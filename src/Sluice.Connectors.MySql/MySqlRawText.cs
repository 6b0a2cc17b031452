using System.Buffers.Text;
using System.Text;
using Sluice.Core.Batches;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Parses the text MySQL sends for a value (the text protocol's form, read as bytes through <c>CAST(... AS BINARY)</c>)
/// straight from the row buffer, so no string or boxed value is made per value. Each parser accepts exactly the forms
/// the server writes and fails naming the column otherwise.
/// </summary>
internal static class MySqlRawText
{
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    public static long Int64(ReadOnlySpan<byte> text, string column) =>
        Utf8Parser.TryParse(text, out long value, out var used) && used == text.Length ? value : throw Bad(text, column, "an integer");

    public static ulong UInt64(ReadOnlySpan<byte> text, string column) =>
        Utf8Parser.TryParse(text, out ulong value, out var used) && used == text.Length ? value : throw Bad(text, column, "an unsigned integer");

    /// <summary>The unscaled value of decimal text such as <c>-12.30</c> at <paramref name="scale"/>, exactly (no System.Decimal).</summary>
    public static Int128 Unscaled(ReadOnlySpan<byte> text, int scale, string column)
    {
        if (text.Length > 80)
            throw Bad(text, column, "a decimal");
        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
            chars[i] = (char)text[i];
        return DecimalText.ParseUnscaled(chars, scale);
    }

    /// <summary>Days since 1970-01-01 of 'YYYY-MM-DD', or null for a zero date (a zero year, month or day, as in '0000-00-00').</summary>
    public static long? UnixDays(ReadOnlySpan<byte> text, string column)
    {
        if (text.Length < 10 || text[4] != '-' || text[7] != '-')
            throw Bad(text, column, "a date");
        var (year, month, day) = (Digits(text, 0, 4, column), Digits(text, 5, 2, column), Digits(text, 8, 2, column));
        if (year == 0 || month == 0 || day == 0)
            return null;
        return new DateOnly(year, month, day).DayNumber - UnixEpochDay;
    }

    /// <summary>
    /// Microseconds since the epoch of 'YYYY-MM-DD HH:MM:SS[.ffffff]' (a TIMESTAMP already in the session's UTC), or null
    /// for a zero date.
    /// </summary>
    public static long? UnixMicros(ReadOnlySpan<byte> text, string column)
    {
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
            throw Bad(text, column, "a date and time");
        var (year, month, day) = (Digits(text, 0, 4, column), Digits(text, 5, 2, column), Digits(text, 8, 2, column));
        if (year == 0 || month == 0 || day == 0)
            return null;
        var micros = 0;
        if (text.Length > 19)
        {
            var fraction = text[20..];
            if (text[19] != '.' || fraction.Length is 0 or > 6)
                throw Bad(text, column, "a date and time");
            micros = Digits(text, 20, fraction.Length, column);
            for (var i = fraction.Length; i < 6; i++)
                micros *= 10;
        }
        var ticks = new DateTime(year, month, day, Digits(text, 11, 2, column), Digits(text, 14, 2, column), Digits(text, 17, 2, column)).Ticks;
        return (ticks - UnixEpochTicks) / 10 + micros;
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count, string column)
    {
        var value = 0;
        foreach (var b in text.Slice(start, count))
        {
            if (b is < (byte)'0' or > (byte)'9')
                throw Bad(text, column, "a date and time");
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static InvalidDataException Bad(ReadOnlySpan<byte> text, string column, string what) =>
        new($"column '{column}': the server sent '{Encoding.UTF8.GetString(text)}', which is not {what} in MySQL's text form; " +
            "report this with the column's type (SHOW CREATE TABLE)");
}
