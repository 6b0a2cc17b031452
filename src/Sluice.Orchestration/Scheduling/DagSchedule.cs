namespace Sluice.Orchestration.Scheduling;

/// <summary>When a DAG runs: on a time table (<see cref="TimeSchedule"/>), on events, or only when triggered.</summary>
public abstract record DagSchedule
{
    /// <summary>The schedule as written in the definition, for display and diffs.</summary>
    public abstract string Text { get; }
}

/// <summary>No automatic runs: the DAG runs only when triggered by hand or through the API.</summary>
public sealed record ManualSchedule : DagSchedule
{
    public static ManualSchedule Instance { get; } = new();

    public override string Text => "manual";
}
