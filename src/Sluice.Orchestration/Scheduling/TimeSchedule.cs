namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// A schedule made of boundaries on the time line (cron occurrences or a fixed interval). Consecutive
/// boundaries delimit data intervals; a run covers one interval and is due at its end (Airflow semantics).
/// All instants are absolute (<see cref="DateTimeOffset"/>); the time zone only matters to cron.
/// </summary>
public abstract record TimeSchedule : DagSchedule
{
    /// <summary>The first boundary after <paramref name="t"/> (at or after it when <paramref name="inclusive"/>).</summary>
    public abstract DateTimeOffset? NextBoundary(DateTimeOffset t, bool inclusive);

    /// <summary>The last boundary before <paramref name="t"/> (at or before it when <paramref name="inclusive"/>).</summary>
    public abstract DateTimeOffset? PreviousBoundary(DateTimeOffset t, bool inclusive);

    /// <summary>The interval whose start is the first boundary at or after <paramref name="t"/>.</summary>
    public DataInterval? IntervalStartingAtOrAfter(DateTimeOffset t) =>
        BoundaryAtOrAfter(t) is { } start ? IntervalFrom(start) : null;

    /// <summary>The most recent interval that is complete (ends at or before <paramref name="now"/>).</summary>
    public DataInterval? LatestCompleteInterval(DateTimeOffset now)
    {
        if (PreviousBoundary(now, inclusive: true) is not { } end)
        {
            return null;
        }

        return PreviousBoundary(end, inclusive: false) is { } start ? new DataInterval(start, end) : null;
    }

    /// <summary>The interval that becomes due next, strictly after <paramref name="t"/>: "next run at".</summary>
    public DataInterval? NextDueAfter(DateTimeOffset t)
    {
        if (NextBoundary(t, inclusive: false) is not { } end)
        {
            return null;
        }

        return PreviousBoundary(end, inclusive: false) is { } start ? new DataInterval(start, end) : null;
    }

    /// <summary>
    /// Every interval that starts at or after <paramref name="from"/> and is complete by <paramref name="to"/>,
    /// in order: the runs a backfill over [from, to] creates, or the runs missed while the scheduler was down.
    /// Lazy, because a fine schedule over a long range is large; callers bound it with Take.
    /// </summary>
    public IEnumerable<DataInterval> IntervalsBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var start = BoundaryAtOrAfter(from);
        while (start is { } s && NextBoundary(s, inclusive: false) is { } end && end <= to)
        {
            yield return new DataInterval(s, end);
            start = end;
        }
    }

    /// <summary>
    /// The interval the next automatic run should cover (it may not be due yet: compare
    /// <see cref="DataInterval.DueAt"/> with now), or null when the window is exhausted.
    /// Mirrors Airflow's <c>next_dagrun_info</c>: after <paramref name="lastAutomated"/>, with catchup off
    /// skipping ahead to the latest complete interval, never before Earliest nor starting after Latest.
    /// </summary>
    public DataInterval? NextRun(DataInterval? lastAutomated, RunWindow window, DateTimeOffset now)
    {
        DateTimeOffset? start = lastAutomated is { } last
            ? BoundaryAtOrAfter(last.End)
            : window.Earliest is { } earliest ? BoundaryAtOrAfter(earliest) : null;

        // Without a start point there is nothing to catch up from, so behave as if catchup were off.
        if (!window.Catchup || start is null)
        {
            start = Max(start, SkipToLatest(window.Earliest, now));
        }

        if (start is not { } s || (window.Latest is { } latest && s > latest))
        {
            return null;
        }

        return IntervalFrom(s);
    }

    /// <summary>
    /// The runs that are due at <paramref name="now"/> after <paramref name="lastAutomated"/>, oldest first,
    /// at most <paramref name="max"/> (the scheduler creates them a batch at a time). With catchup off this is
    /// at most the latest complete interval.
    /// </summary>
    public IReadOnlyList<DataInterval> DueRuns(DataInterval? lastAutomated, RunWindow window, DateTimeOffset now, int max = 1000)
    {
        var due = new List<DataInterval>();
        var last = lastAutomated;
        while (due.Count < max && NextRun(last, window, now) is { } next && next.IsDue(now))
        {
            due.Add(next);
            last = next;
        }

        return due;
    }

    /// <summary>
    /// The first boundary at or after <paramref name="t"/>. Not <c>NextBoundary(t, inclusive: true)</c>: a cron time
    /// in the hour skipped in spring fires at the first instant after the gap (02:30 at 03:00), and Cronos finds that
    /// shifted occurrence only when its search starts before the gap. Searching from just before t finds it at t, so
    /// the interval after a spring-forward boundary is not skipped.
    /// </summary>
    public DateTimeOffset? BoundaryAtOrAfter(DateTimeOffset t) => NextBoundary(t.AddTicks(-1), inclusive: false);

    private DataInterval? IntervalFrom(DateTimeOffset start) =>
        NextBoundary(start, inclusive: false) is { } end ? new DataInterval(start, end) : null;

    private DateTimeOffset? SkipToLatest(DateTimeOffset? earliest, DateTimeOffset now)
    {
        var latestStart = LatestCompleteInterval(now)?.Start ?? BoundaryAtOrAfter(now);
        var alignedEarliest = earliest is { } e ? BoundaryAtOrAfter(e) : null;
        return Max(latestStart, alignedEarliest);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a.Value >= b.Value ? a : b);
}
