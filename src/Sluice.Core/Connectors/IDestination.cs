using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Core.Connectors;

/// <summary>
/// A destination consumes a source's messages and yields each checkpoint once everything before it is durably
/// committed (Airbyte destinations echo STATE the same way). It must not yield a checkpoint early.
/// </summary>
public interface IDestination : IConnector
{
    IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, CancellationToken cancellationToken);
}
