using Sluice.Core.Catalog;
using Sluice.Core.State;

namespace Sluice.Metadata;

/// <summary>Committed sync state per connection: one row per stream plus the global one.</summary>
public interface IStateStore
{
    Task<SyncState> GetAsync(Guid connectionId, CancellationToken cancellationToken = default);
    /// <summary>Saves a committed checkpoint, replacing that stream's (or the global) state.</summary>
    Task SaveAsync(Guid connectionId, Checkpoint checkpoint, CancellationToken cancellationToken = default);
    /// <summary>Forgets state for one stream, or for the whole connection when <paramref name="stream"/> is null.</summary>
    Task ResetAsync(Guid connectionId, StreamDescriptor? stream, CancellationToken cancellationToken = default);
}
