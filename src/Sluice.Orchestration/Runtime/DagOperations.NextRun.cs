using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Runtime;

public sealed partial class DagOperations
{
    /// <summary>
    /// When the scheduler will next start a run of the DAG by itself, computed as the scheduler does (after the
    /// latest scheduled run, within the DAG's window); null when it is paused, manual, event-driven or past its end.
    /// A time at or before now means the run is due and waits for the scheduler's next pass or a free slot.
    /// </summary>
    public async Task<DateTimeOffset?> NextRunAtAsync(DagRecord record, DagDefinition dag, CancellationToken cancellationToken = default)
    {
        if (record.Paused || dag.Paused || dag.Schedule is not TimeSchedule schedule)
            return null;
        var last = await store.Runs.LatestRunAsync(record.Name, [RunTypes.Scheduled], cancellationToken);
        DataInterval? lastInterval = last is null ? null : new DataInterval(last.IntervalStart, last.IntervalEnd);
        return schedule.NextRun(lastInterval, dag.RunWindow(record.CreatedAt), time.GetUtcNow())?.DueAt;
    }
}
