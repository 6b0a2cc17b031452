namespace Sluice.Core.Model;

public sealed record JobAttempt
{
    public required long JobId { get; init; }
    public required int Number { get; init; }
    public JobStatus Status { get; init; } = JobStatus.Running;
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public SyncStats Stats { get; init; } = SyncStats.Empty;
    public string? Error { get; init; }
    /// <summary>The attempt's log as text (appended while it runs).</summary>
    public string? Log { get; init; }
}
