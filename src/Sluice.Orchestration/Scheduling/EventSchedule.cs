namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// Runs a DAG when the named connections and/or DAGs finish successfully. The scheduler keeps the
/// set of successes seen since this DAG's last event-triggered run and asks <see cref="IsSatisfiedBy"/>.
/// </summary>
public sealed record EventSchedule(IReadOnlyList<string> Connections, IReadOnlyList<string> Dags, EventMode Mode) : DagSchedule
{
    public override string Text =>
        $"on {Mode.ToString().ToLowerInvariant()} of connections [{string.Join(", ", Connections)}], dags [{string.Join(", ", Dags)}]";

    /// <summary>True when the successes seen so far are enough to start a run.</summary>
    public bool IsSatisfiedBy(IEnumerable<string> succeededConnections, IEnumerable<string> succeededDags)
    {
        var connections = succeededConnections.ToHashSet(StringComparer.Ordinal);
        var dags = succeededDags.ToHashSet(StringComparer.Ordinal);
        return Mode == EventMode.All
            ? Connections.All(connections.Contains) && Dags.All(dags.Contains)
            : Connections.Any(connections.Contains) || Dags.Any(dags.Contains);
    }

    /// <summary>
    /// The data interval of an event-triggered run: from the first to the last event that caused it,
    /// as Airflow does for dataset-triggered runs (an empty interval when one event suffices).
    /// </summary>
    public static DataInterval IntervalForEvents(DateTimeOffset firstEventAt, DateTimeOffset lastEventAt) =>
        firstEventAt <= lastEventAt ? new(firstEventAt, lastEventAt) : new(lastEventAt, firstEventAt);
}
