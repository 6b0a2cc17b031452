using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Core.Connectors;

/// <summary>
/// A source of streams. <see cref="ReadAsync"/> yields record batches and checkpoints in order; a checkpoint covers
/// every batch of its stream yielded before it. The engine bounds how far reading runs ahead of writing.
/// </summary>
public interface ISource : IConnector
{
    ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken);

    IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        CancellationToken cancellationToken);
}
