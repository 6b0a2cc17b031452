using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Destinations;

/// <summary>A destination connection with at most one open transaction, as <see cref="TransactionalWriteLoop"/> drives it.</summary>
public interface ILoadSession
{
    IStreamLoad CreateLoad(ConfiguredStream stream);

    /// <summary>Opens the transaction unless one is open.</summary>
    Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Records the stream's checkpoint in <c>_sluice_state</c> inside the open transaction, so it commits with the rows it covers.</summary>
    Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken);

    /// <summary>Commits the open transaction, if any.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
