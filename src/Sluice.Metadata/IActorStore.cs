using Sluice.Core.Model;

namespace Sluice.Metadata;

/// <summary>Sources and destinations. Names are unique per workspace and kind.</summary>
public interface IActorStore
{
    /// <summary>Inserts a new actor (Version 1). A duplicate name throws <see cref="DuplicateNameException"/>.</summary>
    Task<Actor> CreateAsync(Actor actor, CancellationToken cancellationToken = default);
    Task<Actor?> GetAsync(Guid id, CancellationToken cancellationToken = default);
    Task<Actor?> FindByNameAsync(Guid workspaceId, ActorKind kind, string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Actor>> ListAsync(Guid workspaceId, ActorKind kind, CancellationToken cancellationToken = default);
    /// <summary>One page by name, after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<Actor>> ListAsync(Guid workspaceId, ActorKind kind, int limit, string? afterName, CancellationToken cancellationToken = default);
    /// <summary>Updates when the stored version equals <paramref name="actor"/>.Version; returns the new row (Version + 1), else throws <see cref="ConcurrencyException"/>.</summary>
    Task<Actor> UpdateAsync(Actor actor, CancellationToken cancellationToken = default);
    /// <summary>Returns false when absent. Refuses (throws <see cref="InUseException"/>) when a connection uses it.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}
