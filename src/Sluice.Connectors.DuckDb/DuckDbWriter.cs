using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// The destination's connection and its one open transaction, driven by <see cref="TransactionalWriteLoop"/>: rows,
/// dedup merges, swaps and <c>_sluice_state</c> commit together. DuckDB transactions belong to the connection, so the
/// appender and every command join the open one.
/// </summary>
internal sealed class DuckDbWriter(DuckDBConnection connection, WriteContext context) : DbLoadSession(connection)
{
    public static async IAsyncEnumerable<Checkpoint> WriteAsync(DuckDbConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await config.OpenAsync(cancellationToken);
        await using var writer = new DuckDbWriter(connection, context);
        await foreach (var checkpoint in TransactionalWriteLoop.RunAsync(writer, catalog, messages, cancellationToken))
            yield return checkpoint;
    }

    public override IStreamLoad CreateLoad(ConfiguredStream stream) => new DuckDbTableWriter(connection, stream, context);

    public override Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken) =>
        DuckDbStateTable.SaveAsync(connection, stream, context.SyncId, state, cancellationToken);
}
