using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Sluice.Orchestration;

/// <summary>Durations as written in definitions: "30s", "5m", "1h30m", "1d", "250ms", or ISO 8601 ("PT1H30M").</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortForm();

    /// <summary>Parses a duration; false with a reason when it is not one.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty duration";
            return false;
        }

        if (s[0] is 'P' or 'p' or '-')
        {
            return TryParseIso(s, out value, out error);
        }

        var match = ShortForm().Match(s);
        if (!match.Success)
        {
            error = $"'{text}' is not a duration; use e.g. 30s, 5m, 1h30m, 1d, 250ms or ISO 8601 like PT1H30M";
            return false;
        }

        var ticks = 0.0;
        for (var i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            var amount = double.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
            ticks += amount * match.Groups[2].Captures[i].Value switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => TimeSpan.TicksPerDay,
            };
        }

        if (ticks >= TimeSpan.MaxValue.Ticks)
        {
            error = $"duration '{text}' is too large";
            return false;
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Formats in the short form, e.g. "1h30m".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        Append(sb, value.Days, "d");
        Append(sb, value.Hours, "h");
        Append(sb, value.Minutes, "m");
        Append(sb, value.Seconds, "s");
        Append(sb, value.Milliseconds, "ms");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int amount, string unit)
    {
        if (amount != 0)
        {
            sb.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    private static bool TryParseIso(string s, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        if (s.StartsWith('-'))
        {
            error = $"duration '{s}' is negative";
            return false;
        }

        // Years and months have no fixed length; refuse them rather than guess 365 or 30 days.
        var datePart = s.Split('T', 'T')[0];
        if (datePart.Contains('Y', StringComparison.OrdinalIgnoreCase) || datePart.Contains('M', StringComparison.OrdinalIgnoreCase))
        {
            error = $"duration '{s}' uses years or months, which have no fixed length; use days (P30D)";
            return false;
        }

        try
        {
            value = XmlConvert.ToTimeSpan(s.ToUpperInvariant());
            return true;
        }
        catch (FormatException)
        {
            error = $"'{s}' is not a valid ISO 8601 duration (e.g. PT1H30M, P1D)";
            return false;
        }
    }
}
