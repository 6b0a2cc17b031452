namespace Sluice.Metadata.Orchestration;

/// <summary>
/// One run of a DAG for one logical date. States and run types are stored as text (queued, running, success, failed;
/// scheduled, manual, backfill, event): their meaning belongs to Sluice.Orchestration.
/// </summary>
public sealed record DagRunRecord
{
    public long Id { get; init; }
    public required string Dag { get; init; }
    public required DateTimeOffset LogicalDate { get; init; }
    public required DateTimeOffset IntervalStart { get; init; }
    public required DateTimeOffset IntervalEnd { get; init; }
    public required string State { get; init; }
    public required string RunType { get; init; }
    /// <summary>JSON object of param overrides.</summary>
    public string Params { get; init; } = "{}";
    /// <summary>The DAG version this run executes.</summary>
    public required int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>A task instance to create along with a new run.</summary>
public sealed record NewTaskInstance(string TaskId, string State, string Pool, int Priority, string Queue = "default");
