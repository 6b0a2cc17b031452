using System.Runtime.CompilerServices;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Dags;

/// <summary>A parsed and validated DAG: its settings, schedule and tasks.</summary>
public sealed record DagDefinition
{
    // Keyed by the task list rather than held in a field, so record equality and `with` copies
    // never see a graph built for other tasks.
    private static readonly ConditionalWeakTable<IReadOnlyList<TaskDefinition>, DagGraph> Graphs = new();

    public required string Name { get; init; }

    public string? Description { get; init; }

    public DagSchedule Schedule { get; init; } = ManualSchedule.Instance;

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Run every missed interval (true) or only the latest one (false, the default as in Airflow 3).</summary>
    public bool Catchup { get; init; }

    /// <summary>First instant a scheduled run may cover; null means from when the DAG is first applied.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>No scheduled run starts after this instant.</summary>
    public DateTimeOffset? EndDate { get; init; }

    public int MaxActiveRuns { get; init; } = 16;

    public int MaxActiveTasks { get; init; } = 16;

    /// <summary>Default values of <c>{{ params.NAME }}</c>; a manual trigger may override them.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool Paused { get; init; }

    public required IReadOnlyList<TaskDefinition> Tasks { get; init; }

    public DagGraph Graph => Graphs.GetValue(Tasks, tasks => new DagGraph(tasks));

    public TaskDefinition Task(string id) =>
        TryTask(id) ?? throw new KeyNotFoundException($"dag '{Name}' has no task '{id}'");

    /// <summary>The task with <paramref name="id"/>, or null; by the graph's index (DAGs may have tens of thousands of tasks).</summary>
    public TaskDefinition? TryTask(string id) => Graph.Find(id);

    /// <summary>The bounds of automatic runs; <paramref name="firstAppliedAt"/> stands in for a missing start_date.</summary>
    public RunWindow RunWindow(DateTimeOffset firstAppliedAt) => new(StartDate ?? firstAppliedAt, EndDate, Catchup);
}
