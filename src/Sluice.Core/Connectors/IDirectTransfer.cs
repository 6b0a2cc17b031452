using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Connectors;

/// <summary>
/// A fast path that moves one full-refresh stream straight from a source to a destination of known kinds
/// (PostgreSQL to PostgreSQL by binary COPY), bypassing Arrow batches. The engine asks each registered transfer
/// before it falls back to the general pipeline. A transfer is all-or-nothing: it commits the stream at its end.
/// </summary>
public interface IDirectTransfer
{
    bool CanTransfer(ISource source, IDestination destination, ConfiguredStream stream);

    Task<DirectTransferResult> TransferAsync(JsonObject sourceConfig, JsonObject destinationConfig, ConfiguredStream stream,
        WriteContext context, IProgress<DirectTransferProgress> progress, CancellationToken cancellationToken);
}

public sealed record DirectTransferProgress(long Records, long Bytes);

public sealed record DirectTransferResult(long Records, long Bytes);
