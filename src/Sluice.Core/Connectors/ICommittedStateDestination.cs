using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Connectors;

/// <summary>
/// A transactional destination that commits each checkpoint with the rows it covers and can report it back. The
/// runner prefers it over the metadata store's copy when it is ahead (a crash came between the two saves).
/// </summary>
public interface ICommittedStateDestination
{
    Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadCommittedStateAsync(JsonObject config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken);
}

/// <summary>A checkpoint a destination committed, with the sync (job) that committed it.</summary>
public sealed record CommittedState(long SyncId, JsonNode State);
