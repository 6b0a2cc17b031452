namespace Sluice.Metadata.Identity;

/// <summary>One change: who did what to which target, with the before and after JSON (secrets already masked by the caller).</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public Guid? WorkspaceId { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public required int Status { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
}
