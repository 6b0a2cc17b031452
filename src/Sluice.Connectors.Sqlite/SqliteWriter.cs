using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// The destination's connection and its one open transaction, driven by <see cref="TransactionalWriteLoop"/>: rows,
/// dedup merges, swaps and <c>_sluice_state</c> commit together.
/// </summary>
internal sealed class SqliteWriter(SqliteConnection connection, WriteContext context) : DbLoadSession(connection)
{
    public static async IAsyncEnumerable<Checkpoint> WriteAsync(SqliteConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await config.OpenReadWriteAsync(cancellationToken);
        await using var writer = new SqliteWriter(connection, context);
        await foreach (var checkpoint in TransactionalWriteLoop.RunAsync(writer, catalog, messages, cancellationToken))
            yield return checkpoint;
    }

    public override IStreamLoad CreateLoad(ConfiguredStream stream) => new SqliteTableWriter(connection, () => (SqliteTransaction)Transaction, stream, context);

    public override Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken) =>
        SqliteStateTable.SaveAsync(connection, (SqliteTransaction)Transaction, stream, context.SyncId, state, cancellationToken);
}
