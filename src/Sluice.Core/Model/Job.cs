namespace Sluice.Core.Model;

public enum JobKind
{
    Sync,
    Reset,
}

public enum JobStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One requested sync (or reset) of a connection; it makes one or more attempts.</summary>
public sealed record Job
{
    public required long Id { get; init; }
    public required Guid ConnectionId { get; init; }
    public JobKind Kind { get; init; } = JobKind.Sync;
    public JobStatus Status { get; init; } = JobStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public SyncStats Stats { get; init; } = SyncStats.Empty;
    public string? Error { get; init; }
    public int Attempts { get; init; }
}
