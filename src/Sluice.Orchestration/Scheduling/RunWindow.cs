namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// The bounds a DAG's automatic runs must respect: no interval starts before <see cref="Earliest"/>
/// (the DAG's start_date, or the time it was first applied when it has none) or after <see cref="Latest"/>
/// (end_date). With <see cref="Catchup"/> off only the most recent complete interval is run.
/// </summary>
public sealed record RunWindow(DateTimeOffset? Earliest, DateTimeOffset? Latest, bool Catchup);
