using Sluice.Core.Catalog;
using Sluice.Core.Model;

namespace Sluice.Metadata;

/// <summary>Schema evolution: the source schema last seen per connection stream, and the history of changes seen.</summary>
public interface ISchemaStore
{
    /// <summary>The schema last seen for each stream of the connection; empty before its first sync.</summary>
    Task<IReadOnlyDictionary<StreamDescriptor, StreamSchema>> GetSnapshotAsync(Guid connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves what one schema check decided, all in one transaction: the connection (optimistic on its version) when
    /// it changed, the new snapshot when given (streams missing from it are forgotten; unchanged rows are not
    /// rewritten) and the change records. Returns the connection and the records as stored (with ids and times).
    /// </summary>
    Task<(Connection Connection, IReadOnlyList<SchemaChangeRecord> Changes)> CommitAsync(SchemaCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="before"/> pages by record id.</summary>
    Task<IReadOnlyList<SchemaChangeRecord>> ListChangesAsync(Guid connectionId, int limit, long? before = null, CancellationToken cancellationToken = default);
}

/// <param name="Connection">The connection as it was read (its version guards the update).</param>
/// <param name="Updated">The connection to store (catalog, status), or null to leave it.</param>
/// <param name="Snapshot">The schema now seen for every stream, or null to keep the old baseline (a pause).</param>
/// <param name="Changes">The records to append.</param>
public sealed record SchemaCommit(Connection Connection, Connection? Updated, IReadOnlyList<StreamSchema>? Snapshot, IReadOnlyList<SchemaChangeRecord> Changes);
