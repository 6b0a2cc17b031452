using System.Globalization;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>Dates in definitions: with an offset they are exact; without one they are wall-clock time in the DAG's zone.</summary>
internal static class LocalTimes
{
    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public static DateTimeOffset? Read(YamlMap map, string key, TimeZoneInfo timeZone)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (timeZone.IsInvalidTime(local))
            {
                map.Error(key, $"'{text}' does not exist in {timeZone.Id} (clocks skip it for daylight saving time)");
                return null;
            }

            // An ambiguous wall time (the repeated hour) resolves to its first occurrence, as cron does.
            var offset = timeZone.IsAmbiguousTime(local) ? timeZone.GetAmbiguousTimeOffsets(local).Max() : timeZone.GetUtcOffset(local);
            return new DateTimeOffset(local, offset);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact) && HasOffset(text))
        {
            return exact;
        }

        map.Error(key, $"'{text}' is not a date; use 2024-01-31, 2024-01-31T06:00 (in the DAG's timezone) or 2024-01-31T06:00:00Z");
        return null;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
