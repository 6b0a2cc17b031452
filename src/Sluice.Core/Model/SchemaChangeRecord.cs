using Sluice.Core.Catalog;
using Sluice.Core.Evolution;

namespace Sluice.Core.Model;

/// <summary>A schema change as the history keeps it: when it was seen, by which job, and what was done about it.</summary>
public sealed record SchemaChangeRecord
{
    public long Id { get; init; }
    public required Guid ConnectionId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>The sync job that saw it; null when it was handled by resuming the connection.</summary>
    public long? JobId { get; init; }
    public required SchemaChange Change { get; init; }
    public required SchemaChangeAction Action { get; init; }
    /// <summary>What was done, or for a pause what changed and what to do.</summary>
    public required string Message { get; init; }

    public StreamDescriptor Stream => Change.Stream;
}
