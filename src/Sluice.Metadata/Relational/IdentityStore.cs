using System.Data.Common;
using Dapper;
using Sluice.Metadata.Identity;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>Users and their workspace roles; tokens in <c>IdentityStore.Tokens.cs</c>.</summary>
internal sealed partial class IdentityStore(Database db) : IIdentityStore
{
    private const string SelectUser = "SELECT id, name, password_hash, disabled, version, created_at, updated_at FROM users";

    public async Task<User> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Name);
        var now = db.Now();
        var created = user with { Id = user.Id == Guid.Empty ? Guid.CreateVersion7(now) : user.Id, Version = 1, CreatedAt = now, UpdatedAt = now };
        try
        {
            await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
                "INSERT INTO users (id, name, password_hash, disabled, version, created_at, updated_at) VALUES (@id, @name, @hash, @disabled, 1, @now, @now)",
                new { id = created.Id, name = created.Name, hash = created.PasswordHash, disabled = created.Disabled ? 1 : 0, now }, transaction, cancellationToken)), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException("user", user.Name);
        }
        return created;
    }

    public Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        SingleUserAsync($"{SelectUser} WHERE id = @id", new { id }, cancellationToken);

    public Task<User?> FindUserAsync(string name, CancellationToken cancellationToken = default) =>
        SingleUserAsync($"{SelectUser} WHERE name = @name", new { name }, cancellationToken);

    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<User>>(async connection =>
            (await QueryAsync(connection, Command($"{SelectUser} ORDER BY name", null, null, cancellationToken))).Select(MapUser).ToList(), cancellationToken);

    public Task<IReadOnlyList<User>> ListUsersAsync(int limit, string? afterName, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<User>>(async connection => (await QueryAsync(connection, Command(
            $"{SelectUser} {(afterName is null ? "" : "WHERE name > @afterName")} ORDER BY name LIMIT @limit", new { afterName, limit }, null, cancellationToken)))
            .Select(MapUser).ToList(), cancellationToken);
    }

    public Task<int> CountUsersAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync(async connection => (int)await connection.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM users", null, null, cancellationToken)), cancellationToken);

    public async Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        var now = db.Now();
        int changed;
        try
        {
            changed = await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
                "UPDATE users SET name = @name, password_hash = @hash, disabled = @disabled, version = version + 1, updated_at = @now WHERE id = @id AND version = @version",
                new { id = user.Id, version = user.Version, name = user.Name, hash = user.PasswordHash, disabled = user.Disabled ? 1 : 0, now }, transaction, cancellationToken)), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException("user", user.Name);
        }
        if (changed == 0)
            throw await GetUserAsync(user.Id, cancellationToken) is null ? new NotFoundException("user", user.Id.ToString()) : new ConcurrencyException("user", user.Id, user.Version);
        return user with { Version = user.Version + 1, UpdatedAt = now };
    }

    public async Task DeleteUserAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var deleted = await db.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(Command("DELETE FROM api_tokens WHERE user_id = @id", new { id }, transaction, cancellationToken));
            await connection.ExecuteAsync(Command("DELETE FROM user_roles WHERE user_id = @id", new { id }, transaction, cancellationToken));
            return await connection.ExecuteAsync(Command("DELETE FROM users WHERE id = @id", new { id }, transaction, cancellationToken));
        }, cancellationToken);
        if (deleted == 0)
            throw new NotFoundException("user", id.ToString());
    }

    public Task<IReadOnlyList<WorkspaceRole>> RolesAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<WorkspaceRole>>(async connection =>
            (await QueryAsync(connection, Command("SELECT workspace_id, role FROM user_roles WHERE user_id = @userId", new { userId }, null, cancellationToken)))
                .Select(r => new WorkspaceRole(r.Guid("workspace_id"), r.Enum<Role>("role"))).ToList(), cancellationToken);

    public async Task SetRoleAsync(Guid userId, Guid workspaceId, Role? role, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.WriteAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync(Command("DELETE FROM user_roles WHERE user_id = @userId AND workspace_id = @workspaceId", new { userId, workspaceId }, transaction, cancellationToken));
                if (role is { } r)
                    await connection.ExecuteAsync(Command("INSERT INTO user_roles (user_id, workspace_id, role) VALUES (@userId, @workspaceId, @role)",
                        new { userId, workspaceId, role = EnumText.Of(r) }, transaction, cancellationToken));
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("user or workspace", $"{userId}/{workspaceId}");
        }
    }

    private Task<User?> SingleUserAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        db.ReadAsync(async connection =>
            await QuerySingleAsync(connection, Command(sql, parameters, null, cancellationToken)) is { } row ? MapUser(row) : null, cancellationToken);

    private static User MapUser(Row row) => new()
    {
        Id = row.Guid("id"),
        Name = row.String("name"),
        PasswordHash = row.String("password_hash"),
        Disabled = row.Long("disabled") != 0,
        Version = row.Int("version"),
        CreatedAt = row.Time("created_at"),
        UpdatedAt = row.Time("updated_at"),
    };
}
