using System.Data.Common;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Destinations;

/// <summary>An <see cref="ILoadSession"/> over an ADO.NET connection: at most one transaction open, rolled back on dispose.</summary>
public abstract class DbLoadSession(DbConnection connection) : ILoadSession, IAsyncDisposable
{
    private DbTransaction? _transaction;

    protected DbTransaction Transaction => _transaction ?? throw new InvalidOperationException("no open transaction");

    public abstract IStreamLoad CreateLoad(ConfiguredStream stream);

    public abstract Task SaveStateAsync(ConfiguredStream stream, JsonNode state, CancellationToken cancellationToken);

    public async Task BeginAsync(CancellationToken cancellationToken) =>
        _transaction ??= await connection.BeginTransactionAsync(cancellationToken);

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
        GC.SuppressFinalize(this);
    }
}
