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
internal sealed class DuckDbWriter(DuckDBConnection connection, WriteContext context) : ILoadSession, IAsyncDisposable
{
    private DuckDBTransaction? _transaction;

    public static async IAsyncEnumerable<Checkpoint> WriteAsync(DuckDbConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await config.OpenAsync(cancellationToken);
        await using var writer = new DuckDbWriter(connection, context);
        await foreach (var checkpoint in TransactionalWriteLoop.RunAsync(writer, catalog, messages, cancellationToken))
            yield return checkpoint;
    }

    public IStreamLoad CreateLoad(ConfiguredStream stream) => new DuckDbTableWriter(connection, stream, context);

    public Task BeginAsync(CancellationToken cancellationToken)
    {
        _transaction ??= connection.BeginTransaction();
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken) =>
        DuckDbStateTable.SaveAsync(connection, stream, context.SyncId, state, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is null)
            return;
        await _transaction.CommitAsync(cancellationToken);
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
            await _transaction.DisposeAsync(); // rolls back what a failed sync left uncommitted
    }
}
