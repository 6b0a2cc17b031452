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
internal sealed class SqliteWriter(SqliteConnection connection, WriteContext context) : ILoadSession, IAsyncDisposable
{
    private SqliteTransaction? _transaction;

    public static async IAsyncEnumerable<Checkpoint> WriteAsync(SqliteConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await config.OpenReadWriteAsync(cancellationToken);
        await using var writer = new SqliteWriter(connection, context);
        await foreach (var checkpoint in TransactionalWriteLoop.RunAsync(writer, catalog, messages, cancellationToken))
            yield return checkpoint;
    }

    public SqliteTransaction Transaction => _transaction ?? throw new InvalidOperationException("no open transaction");

    public IStreamLoad CreateLoad(ConfiguredStream stream) => new SqliteTableWriter(connection, () => Transaction, stream, context);

    public Task BeginAsync(CancellationToken cancellationToken)
    {
        _transaction ??= connection.BeginTransaction();
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken) =>
        SqliteStateTable.SaveAsync(connection, Transaction, stream, context.SyncId, state, cancellationToken);

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
