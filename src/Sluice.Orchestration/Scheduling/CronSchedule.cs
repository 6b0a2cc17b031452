using Cronos;

namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// A cron schedule (5 fields, or 6 with seconds) evaluated in a time zone. Cronos handles daylight saving
/// time: an occurrence in the skipped hour fires at the first instant after the gap, and in the repeated hour
/// expressions with a wildcard or step in the hour/minute/second fields fire in both offsets while fixed
/// times fire once.
/// </summary>
public sealed record CronSchedule : TimeSchedule
{
    // Backwards search windows: Cronos only searches forwards, so the previous occurrence is found by
    // enumerating a window before t, doubling it until it holds one. The cap covers "0 0 29 2 *" across 2100.
    private static readonly TimeSpan FirstWindow = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366 * 12);

    internal CronSchedule(string text, CronExpression expression, TimeZoneInfo timeZone)
    {
        Text = text;
        Expression = expression;
        TimeZone = timeZone;
    }

    public override string Text { get; }

    public CronExpression Expression { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses a 5 or 6 field expression or a preset (@hourly, @daily, ...); throws <see cref="FormatException"/>.</summary>
    public static CronSchedule Parse(string text, TimeZoneInfo timeZone)
    {
        var trimmed = text.Trim();
        var expression = Presets.TryGetValue(trimmed, out var preset) ? preset : trimmed;
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => throw new FormatException($"cron expression '{text}' has {fields} fields; expected 5 (minute hour day month weekday) or 6 (with seconds first)"),
        };
        try
        {
            return new CronSchedule(trimmed, CronExpression.Parse(expression, format), timeZone);
        }
        catch (CronFormatException ex)
        {
            throw new FormatException($"invalid cron expression '{text}': {ex.Message}", ex);
        }
    }

    /// <summary>The presets we accept, spelled out so the docs and the behaviour agree.</summary>
    public static IReadOnlyDictionary<string, string> Presets { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
    };

    public override DateTimeOffset? NextBoundary(DateTimeOffset t, bool inclusive) =>
        Expression.GetNextOccurrence(t, TimeZone, inclusive);

    public override DateTimeOffset? PreviousBoundary(DateTimeOffset t, bool inclusive)
    {
        for (var window = FirstWindow; window <= MaxWindow; window += window)
        {
            if (t - DateTimeOffset.MinValue < window)
            {
                break;
            }

            DateTimeOffset? last = null;
            foreach (var occurrence in Expression.GetOccurrences(t - window, t, TimeZone, fromInclusive: true, toInclusive: inclusive))
            {
                last = occurrence;
            }

            if (last is not null)
            {
                return last;
            }
        }

        return null;
    }
}
