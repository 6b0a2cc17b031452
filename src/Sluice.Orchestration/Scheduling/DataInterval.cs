namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// The span of time a run covers, Airflow style: the run's logical date is <see cref="Start"/>,
/// and the run only becomes due at <see cref="End"/>, once the data it covers is complete.
/// </summary>
public readonly record struct DataInterval(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The run's logical date: the start of the interval it covers.</summary>
    public DateTimeOffset LogicalDate => Start;

    /// <summary>When the run may start: the end of the interval.</summary>
    public DateTimeOffset DueAt => End;

    public bool IsDue(DateTimeOffset now) => End <= now;

    public override string ToString() => $"[{Start:O}, {End:O})";
}
