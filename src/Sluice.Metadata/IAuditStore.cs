using Sluice.Metadata.Identity;

namespace Sluice.Metadata;

/// <summary>The append-only record of changes.</summary>
public interface IAuditStore
{
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);
    /// <summary>Newest first; <paramref name="before"/> is the id of the last entry of the previous page.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? before, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="ListAsync(int, long?, CancellationToken)"/>, only the entries of <paramref name="workspaceId"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(Guid workspaceId, int limit, long? before, CancellationToken cancellationToken = default);
}
