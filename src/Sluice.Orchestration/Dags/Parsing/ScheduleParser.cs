using Sluice.Orchestration.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// Reads <c>schedule:</c> (a cron expression, a preset, "@every 15m", "manual" or null; or a mapping with
/// one of cron, interval, on) and the top-level <c>on:</c> shorthand for event schedules.
/// </summary>
internal sealed class ScheduleParser(ErrorSink errors, DagParseOptions options, TimeZoneInfo timeZone, DateTimeOffset? startDate)
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public DagSchedule Parse(YamlMap dag)
    {
        var on = dag.Map("on");
        var scheduleNode = dag.Raw("schedule");
        if (on is not null)
        {
            if (scheduleNode is not null)
            {
                dag.Error("on", "give either schedule or on, not both");
            }

            return ParseEvents(on);
        }

        switch (scheduleNode)
        {
            case null:
                return ManualSchedule.Instance;
            case YamlScalarNode { Value: { } text }:
                return ParseText(dag, "schedule", text);
            case YamlMappingNode:
                return ParseMapping(dag.Map("schedule")!);
            default:
                dag.Error("schedule", "must be a cron expression, a preset, '@every DURATION', 'manual', or a mapping with cron, interval or on");
                return ManualSchedule.Instance;
        }
    }

    private DagSchedule ParseMapping(YamlMap map)
    {
        var cron = map.String("cron");
        var interval = map.Raw("interval") is not null ? map.Duration("interval") : null;
        var on = map.Map("on");
        map.ReportUnknownKeys();
        var count = (cron is null ? 0 : 1) + (map.Has("interval") ? 1 : 0) + (on is null ? 0 : 1);
        if (count != 1)
        {
            errors.Add(null, "schedule", "a schedule mapping needs exactly one of cron, interval or on", map.Node);
            return ManualSchedule.Instance;
        }

        if (cron is not null)
        {
            return ParseCron(map, "cron", cron);
        }

        if (on is not null)
        {
            return ParseEvents(on);
        }

        return interval is { } span ? Interval(map, "interval", span) : ManualSchedule.Instance;
    }

    private DagSchedule ParseText(YamlMap map, string key, string text) =>
        Reported(map, key, () => ScheduleText.Parse(text, timeZone, startDate ?? Epoch));

    private DagSchedule ParseCron(YamlMap map, string key, string text) =>
        Reported(map, key, () => ScheduleText.Cron(text, timeZone));

    private DagSchedule Interval(YamlMap map, string key, TimeSpan span) =>
        Reported(map, key, () => ScheduleText.Interval(span, startDate ?? Epoch));

    // A schedule that does not parse is one error on its key; parsing goes on to find the others.
    private static DagSchedule Reported(YamlMap map, string key, Func<DagSchedule> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            map.Error(key, ex.Message);
            return ManualSchedule.Instance;
        }
    }

    private EventSchedule ParseEvents(YamlMap on)
    {
        var connections = on.StringList("connections");
        var dags = on.StringList("dags");
        var mode = EventMode.All;
        if (on.String("mode") is { } modeText && !Enum.TryParse(modeText, ignoreCase: true, out mode))
        {
            on.Error("mode", $"unknown mode '{modeText}'; allowed: all, any");
        }

        on.ReportUnknownKeys();
        if (connections.Count == 0 && dags.Count == 0)
        {
            errors.Add(null, on.FieldName("connections"), "an event schedule needs at least one connection or dag to wait for", on.Node);
        }

        foreach (var name in connections.Where(n => options.ConnectionExists is { } exists && !exists(n)))
        {
            on.Error("connections", $"unknown connection '{name}'");
        }

        foreach (var name in dags.Where(n => options.DagExists is { } exists && !exists(n)))
        {
            on.Error("dags", $"unknown dag '{name}'");
        }

        return new EventSchedule(connections, dags, mode);
    }
}
