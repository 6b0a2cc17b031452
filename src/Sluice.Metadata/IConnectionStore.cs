using Sluice.Core.Model;

namespace Sluice.Metadata;

/// <summary>Connections. Names are unique per workspace.</summary>
public interface IConnectionStore
{
    Task<Connection> CreateAsync(Connection connection, CancellationToken cancellationToken = default);
    Task<Connection?> GetAsync(Guid id, CancellationToken cancellationToken = default);
    Task<Connection?> FindByNameAsync(Guid workspaceId, string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Connection>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default);
    /// <summary>One page of the workspace's connections by name, after <paramref name="afterName"/>; no catalogs are read.</summary>
    Task<IReadOnlyList<ConnectionOverview>> ListOverviewsAsync(Guid workspaceId, int limit, string? afterName, CancellationToken cancellationToken = default);
    /// <summary>Optimistic update on <see cref="Connection.Version"/>, as <see cref="IActorStore.UpdateAsync"/>.</summary>
    Task<Connection> UpdateAsync(Connection connection, CancellationToken cancellationToken = default);
    /// <summary>Deletes the connection with its jobs, attempts and state.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}
