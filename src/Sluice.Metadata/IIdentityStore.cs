using Sluice.Metadata.Identity;

namespace Sluice.Metadata;

/// <summary>Users, their roles per workspace, and their API tokens and sessions.</summary>
public interface IIdentityStore
{
    Task<User> CreateUserAsync(User user, CancellationToken cancellationToken = default);
    Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default);
    Task<User?> FindUserAsync(string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken = default);
    /// <summary>One page by name, after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<User>> ListUsersAsync(int limit, string? afterName, CancellationToken cancellationToken = default);
    Task<int> CountUsersAsync(CancellationToken cancellationToken = default);
    /// <summary>Updates name, hash and disabled flag when <see cref="User.Version"/> matches; else <see cref="ConcurrencyException"/>.</summary>
    Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default);
    /// <summary>Deletes the user with their roles and tokens.</summary>
    Task DeleteUserAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WorkspaceRole>> RolesAsync(Guid userId, CancellationToken cancellationToken = default);
    /// <summary>Grants <paramref name="role"/> in the workspace, or removes the user from it when null.</summary>
    Task SetRoleAsync(Guid userId, Guid workspaceId, Role? role, CancellationToken cancellationToken = default);

    Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken = default);
    Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default);
    Task<ApiToken?> GetTokenAsync(Guid id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid? userId, string kind, CancellationToken cancellationToken = default);
    /// <summary>One page of the tokens made for <paramref name="workspaceId"/>, by id (time-ordered), after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid workspaceId, string kind, int limit, Guid? afterId, CancellationToken cancellationToken = default);
    /// <summary>Marks the token revoked; false when it does not exist or was already revoked.</summary>
    Task<bool> RevokeTokenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default);
}
