using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.State;

namespace Sluice.Engine.Pipeline;

/// <summary>Everything one sync attempt needs: resolved connectors and configs, the selection and the state to resume from.</summary>
public sealed record SyncRequest
{
    public required ISource Source { get; init; }
    public required JsonObject SourceConfig { get; init; }
    public required IDestination Destination { get; init; }
    public required JsonObject DestinationConfig { get; init; }
    public required ConfiguredCatalog Catalog { get; init; }
    public SyncState State { get; init; } = SyncState.Empty;
    /// <summary>Written into every destination row (<c>_sluice_sync_id</c>); the job id.</summary>
    public long SyncId { get; init; }
    /// <summary>Batches the source may run ahead of the destination; this bounds memory.</summary>
    public int ChannelCapacity { get; init; } = 4;
}
