using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Connectors;
using Sluice.Metadata.Identity;
using Sluice.Orchestration.Scheduling;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/schedules/preview: what a schedule text means, as the next times it fires, before anyone saves it.</summary>
public static class SchedulesApi
{
    public sealed record SchedulePreview(string Schedule, string Kind, string TimeZone, IReadOnlyList<DateTimeOffset> Next);

    private const int MaxCount = 50;

    public static void MapSchedules(this IEndpointRouteBuilder api)
    {
        api.MapGet("/schedules/preview", (string? schedule, string? cron, string? timezone, int? count, TimeProvider time) =>
        {
            var text = schedule ?? cron;
            var zone = TimeZoneOf(timezone);
            var parsed = Parse(text, zone, schedule is null && cron is not null ? "cron" : "schedule");
            var next = ScheduleText.NextFireTimes(parsed, time.GetUtcNow(), Math.Clamp(count ?? 5, 1, MaxCount))
                .Select(t => TimeZoneInfo.ConvertTime(t, zone)).ToList();
            var kind = parsed switch { CronSchedule => "cron", IntervalSchedule => "interval", _ => "manual" };
            return TypedResults.Ok(new SchedulePreview(parsed.Text, kind, zone.Id, next));
        }).WithTags("schedules").RequireRole(Role.Viewer).WithName("preview-schedule");
    }

    /// <summary>Parses a schedule as the scheduler will, or fails naming <paramref name="field"/>: a 400 whose error sits next to that field.</summary>
    internal static DagSchedule Parse(string? text, TimeZoneInfo zone, string field = "schedule")
    {
        try
        {
            return ScheduleText.Parse(text, zone);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(field, ex.Message, "write 5 fields (minute hour day month weekday) such as '0 3 * * *', a preset such as @daily, '@every 15m' or 'manual'");
        }
    }

    /// <summary>The time zone of an IANA id (blank is UTC), or a 400 naming <paramref name="field"/>.</summary>
    internal static TimeZoneInfo TimeZoneOf(string? id, string field = "timezone")
    {
        try
        {
            return ScheduleText.TimeZone(id);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(field, ex.Message);
        }
    }
}
