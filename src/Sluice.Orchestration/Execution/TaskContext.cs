using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Scheduling;
using Sluice.Orchestration.Templating;

namespace Sluice.Orchestration.Execution;

/// <summary>Everything an executor needs to know about the attempt it runs.</summary>
public sealed record TaskContext
{
    public required string DagId { get; init; }

    public required string RunId { get; init; }

    public required TaskDefinition Task { get; init; }

    public required DataInterval DataInterval { get; init; }

    public int Attempt { get; init; } = 1;

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The DAG's default params with the run's overrides applied.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public string TaskId => Task.Id;

    public static TaskContext Create(
        DagDefinition dag, string taskId, string runId, DataInterval interval, int attempt,
        IReadOnlyDictionary<string, string>? paramOverrides = null) =>
        Create(DagTask.Of(dag, taskId), runId, interval, attempt, paramOverrides);

    public static TaskContext Create(
        DagTask task, string runId, DataInterval interval, int attempt, IReadOnlyDictionary<string, string>? paramOverrides = null)
    {
        var parameters = new Dictionary<string, string>(task.Params, StringComparer.Ordinal);
        foreach (var (name, value) in paramOverrides ?? new Dictionary<string, string>())
        {
            parameters[name] = value;
        }

        return new TaskContext
        {
            DagId = task.DagName, RunId = runId, Task = task.Task, DataInterval = interval, Attempt = attempt,
            TimeZone = task.TimeZone, Params = parameters,
        };
    }

    /// <summary>Renders a templated field; a <see cref="TemplateException"/> names the task and field.</summary>
    public string Render(string template, string field)
    {
        // Built per call rather than cached, so a `with` copy (say, the next attempt) never renders stale values.
        var variables = TemplateVariables.Create(DagId, TaskId, RunId, DataInterval, Attempt, TimeZone);
        try
        {
            return TemplateRenderer.Render(template, variables, Params);
        }
        catch (TemplateException ex)
        {
            throw new TemplateException($"dag '{DagId}', task '{TaskId}', field '{field}': {ex.Message}", ex.Variable);
        }
    }
}
