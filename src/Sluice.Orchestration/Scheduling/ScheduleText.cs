namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// The one-line schedule grammar shared by a DAG's <c>schedule:</c> and a connection's schedule: "manual" (or
/// "none"), "@every DURATION", a preset such as @daily, or a 5/6-field cron expression. One parser, so the API's
/// preview, the connection check and the scheduler agree on what a text means.
/// </summary>
public static class ScheduleText
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong and what to write instead.</summary>
    public static DagSchedule Parse(string? text, TimeZoneInfo timeZone, DateTimeOffset? anchor = null)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Equals("manual", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ManualSchedule.Instance;
        }

        if (trimmed.StartsWith("@every", StringComparison.OrdinalIgnoreCase))
        {
            var durationText = trimmed["@every".Length..].Trim();
            if (!Durations.TryParse(durationText, out var span, out var error))
            {
                throw new FormatException($"'{text}': {error}");
            }

            return Interval(span, anchor);
        }

        return Cron(trimmed, timeZone);
    }

    /// <summary>A cron expression or preset; an unknown @preset names the ones that exist.</summary>
    public static CronSchedule Cron(string text, TimeZoneInfo timeZone)
    {
        if (text.StartsWith('@') && !CronSchedule.Presets.ContainsKey(text))
        {
            throw new FormatException($"unknown schedule preset '{text}'; allowed: {string.Join(", ", CronSchedule.Presets.Keys)}, @every DURATION");
        }

        return CronSchedule.Parse(text, timeZone);
    }

    /// <summary>A fixed interval anchored at <paramref name="anchor"/> (the Unix epoch when null, so 15m lands on :00, :15, ...).</summary>
    public static IntervalSchedule Interval(TimeSpan span, DateTimeOffset? anchor = null) =>
        span < TimeSpan.FromSeconds(1)
            ? throw new FormatException("an interval must be at least 1s")
            : new IntervalSchedule(span, anchor ?? DateTimeOffset.UnixEpoch);

    /// <summary>
    /// The next <paramref name="count"/> instants at which runs of <paramref name="schedule"/> become due after
    /// <paramref name="now"/>: boundaries, since a run starts when its interval ends. Empty for manual and event schedules.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(DagSchedule schedule, DateTimeOffset now, int count)
    {
        var times = new List<DateTimeOffset>(count);
        if (schedule is not TimeSchedule time)
        {
            return times;
        }

        var t = now;
        while (times.Count < count && time.NextBoundary(t, inclusive: false) is { } next)
        {
            times.Add(next);
            t = next;
        }

        return times;
    }

    /// <summary>
    /// The time zone of an IANA id (null or blank is UTC), as DAGs and connections read theirs; throws
    /// <see cref="FormatException"/> naming the id and what to write instead.
    /// </summary>
    public static TimeZoneInfo TimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"unknown time zone '{id}'; use an IANA id such as Europe/Berlin, America/New_York or UTC");
        }
    }
}
