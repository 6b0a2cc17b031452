using Dapper;
using Sluice.Metadata.Identity;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed partial class IdentityStore
{
    private const string SelectToken = "SELECT id, user_id, workspace_id, kind, name, token_hash, role, created_at, expires_at, revoked_at FROM api_tokens";

    public Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken = default) =>
        db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
            """
            INSERT INTO api_tokens (id, user_id, workspace_id, kind, name, token_hash, role, created_at, expires_at, revoked_at)
            VALUES (@Id, @UserId, @WorkspaceId, @Kind, @Name, @TokenHash, @role, @CreatedAt, @ExpiresAt, NULL)
            """,
            new { token.Id, token.UserId, token.WorkspaceId, token.Kind, token.Name, token.TokenHash, role = EnumText.Of(token.Role), token.CreatedAt, token.ExpiresAt },
            transaction, cancellationToken)), cancellationToken);

    public Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        SingleTokenAsync($"{SelectToken} WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken);

    public Task<ApiToken?> GetTokenAsync(Guid id, CancellationToken cancellationToken = default) =>
        SingleTokenAsync($"{SelectToken} WHERE id = @id", new { id }, cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid? userId, string kind, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<ApiToken>>(async connection =>
            (await QueryAsync(connection, Command(
                userId is null ? $"{SelectToken} WHERE kind = @kind ORDER BY created_at" : $"{SelectToken} WHERE kind = @kind AND user_id = @userId ORDER BY created_at",
                new { kind, userId }, null, cancellationToken))).Select(MapToken).ToList(), cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid workspaceId, string kind, int limit, Guid? afterId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<ApiToken>>(async connection => (await QueryAsync(connection, Command(
            $"{SelectToken} WHERE kind = @kind AND workspace_id = @workspaceId {(afterId is null ? "" : "AND id > @afterId")} ORDER BY id LIMIT @limit",
            new { kind, workspaceId, afterId, limit }, null, cancellationToken))).Select(MapToken).ToList(), cancellationToken);
    }

    public async Task<bool> RevokeTokenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
            "UPDATE api_tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at }, transaction, cancellationToken)), cancellationToken) > 0;

    private Task<ApiToken?> SingleTokenAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        db.ReadAsync(async connection =>
            await QuerySingleAsync(connection, Command(sql, parameters, null, cancellationToken)) is { } row ? MapToken(row) : null, cancellationToken);

    private static ApiToken MapToken(Row row) => new()
    {
        Id = row.Guid("id"),
        UserId = row.Guid("user_id"),
        WorkspaceId = row.IsNull("workspace_id") ? null : row.Guid("workspace_id"),
        Kind = row.String("kind"),
        Name = row.String("name"),
        TokenHash = row.String("token_hash"),
        Role = row.Enum<Role>("role"),
        CreatedAt = row.Time("created_at"),
        ExpiresAt = row.TimeOrNull("expires_at"),
        RevokedAt = row.TimeOrNull("revoked_at"),
    };
}
