using System.Globalization;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Templating;

/// <summary>The built-in template variables of one task attempt.</summary>
public static class TemplateVariables
{
    /// <summary>Every built-in name, for validation at parse time.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "ds", "ds_nodash", "ts", "logical_date", "data_interval_start", "data_interval_end",
        "run_id", "dag_id", "task_id", "try_number",
    ];

    /// <summary>
    /// Dates are rendered in the DAG's time zone, so a daily Europe/Berlin DAG's <c>ds</c> is the Berlin
    /// day it covers (Airflow renders UTC, which surprises everyone east of Greenwich); the ISO forms carry
    /// the offset, so they still name an exact instant.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Create(
        string dagId, string taskId, string runId, DataInterval interval, int attempt, TimeZoneInfo timeZone)
    {
        var logical = TimeZoneInfo.ConvertTime(interval.Start, timeZone);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ds"] = logical.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ds_nodash"] = logical.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["ts"] = Iso(interval.Start, timeZone),
            ["logical_date"] = Iso(interval.Start, timeZone),
            ["data_interval_start"] = Iso(interval.Start, timeZone),
            ["data_interval_end"] = Iso(interval.End, timeZone),
            ["run_id"] = runId,
            ["dag_id"] = dagId,
            ["task_id"] = taskId,
            ["try_number"] = attempt.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Iso(DateTimeOffset instant, TimeZoneInfo timeZone) =>
        TimeZoneInfo.ConvertTime(instant, timeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
