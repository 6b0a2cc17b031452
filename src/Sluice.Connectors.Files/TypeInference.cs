using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>
/// Infers a column's type from sample text values (CSV fields, JSON strings). A column takes the first of
/// boolean, int64, float64, bigdecimal, date, timestamp, timestamptz that every non-null sample fits;
/// otherwise string. A number with more than 15 significant digits is not float64 (a double would round it).
/// Integers with a leading zero (zip codes, ids like 007) stay text. A column with only NULLs is string.
/// </summary>
internal sealed partial class TypeInference
{
    [Flags]
    private enum Fits { None = 0, Boolean = 1, Int64 = 2, Float64 = 4, Date = 8, Timestamp = 16, TimestampTz = 32, BigDecimal = 64, All = 127 }

    private Fits _fits = Fits.All;
    private bool _seen;

    /// <summary>Set when only JSON strings are sampled: numbers and booleans inside strings stay text.</summary>
    public bool TextOnly { get; init; }

    public void Observe(string? value)
    {
        if (value is null)
            return;
        _seen = true;
        var fits = Fits.None;
        if (!TextOnly)
        {
            if (value is "true" or "false" or "True" or "False" or "TRUE" or "FALSE")
                fits |= Fits.Boolean;
            if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                fits |= Fits.Int64;
            if (value is "NaN" or "Infinity" or "-Infinity")
                fits |= Fits.Float64;
            else if (FloatPattern().IsMatch(value) && value.Any(char.IsAsciiDigit))
                fits |= SignificantDigits(value) <= MaxDoubleDigits ? Fits.Float64 | Fits.BigDecimal : Fits.BigDecimal;
        }
        if (DatePattern().IsMatch(value) && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            fits |= Fits.Date;
        var timestamp = TimestampPattern().Match(value);
        if (timestamp.Success && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            fits |= timestamp.Groups["zone"].Success ? Fits.TimestampTz : Fits.Timestamp;
        _fits &= fits;
    }

    public LogicalType Result()
    {
        if (!_seen)
            return LogicalType.String;
        foreach (var (fit, type) in Order)
            if (_fits.HasFlag(fit))
                return type;
        return LogicalType.String;
    }

    private static readonly (Fits, LogicalType)[] Order =
    [
        (Fits.Boolean, LogicalType.Boolean), (Fits.Int64, LogicalType.Int64), (Fits.Float64, LogicalType.Float64), (Fits.BigDecimal, LogicalType.BigDecimal),
        (Fits.Date, LogicalType.Date), (Fits.Timestamp, LogicalType.Timestamp), (Fits.TimestampTz, LogicalType.TimestampTz),
    ];

    /// <summary>A double keeps 15 significant decimal digits exactly; longer numbers become exact bigdecimal text.</summary>
    public const int MaxDoubleDigits = 15;

    public static int SignificantDigits(string number)
    {
        var mantissa = number.Split('e', 'E')[0].TrimStart('-', '+');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        if (mantissa.Contains('.'))
            digits = digits.TrimEnd('0');
        return digits.Length;
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)?(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(?<zone>Z|[+-][0-9]{2}(:?[0-9]{2})?)?$")]
    private static partial Regex TimestampPattern();
}
