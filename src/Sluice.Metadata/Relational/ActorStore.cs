using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Sluice.Core.Model;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>Sources and destinations. <see cref="Actor.Kind"/> and <see cref="Actor.WorkspaceId"/> are fixed at creation.</summary>
internal sealed class ActorStore(Database db) : IActorStore
{
    private const string Select = "SELECT id, workspace_id, kind, name, connector, config, version, created_at, updated_at FROM actors";

    public async Task<Actor> CreateAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name);
        var now = db.Now();
        var created = actor with { Id = actor.Id == Guid.Empty ? Guid.CreateVersion7(now) : actor.Id, Version = 1, CreatedAt = now, UpdatedAt = now };
        try
        {
            await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
                """
                INSERT INTO actors (id, workspace_id, kind, name, connector, config, version, created_at, updated_at)
                VALUES (@id, @workspaceId, @kind, @name, @connector, @config, 1, @now, @now)
                """,
                new
                {
                    id = created.Id, workspaceId = created.WorkspaceId, kind = EnumText.Of(created.Kind), name = created.Name,
                    connector = created.Connector, config = db.Dialect.Json(created.Config.ToJsonString()), now,
                }, transaction, cancellationToken)), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException(Entity(actor.Kind), actor.Name);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("workspace", actor.WorkspaceId.ToString());
        }
        return created;
    }

    public Task<Actor?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SingleAsync($"{Select} WHERE id = @id", new { id }, cancellationToken);

    public Task<Actor?> FindByNameAsync(Guid workspaceId, ActorKind kind, string name, CancellationToken cancellationToken = default) =>
        SingleAsync($"{Select} WHERE workspace_id = @workspaceId AND kind = @kind AND name = @name",
            new { workspaceId, kind = EnumText.Of(kind), name }, cancellationToken);

    public Task<IReadOnlyList<Actor>> ListAsync(Guid workspaceId, ActorKind kind, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<Actor>>(async connection => (await QueryAsync(connection, Command(
            $"{Select} WHERE workspace_id = @workspaceId AND kind = @kind ORDER BY name",
            new { workspaceId, kind = EnumText.Of(kind) }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    public Task<IReadOnlyList<Actor>> ListAsync(Guid workspaceId, ActorKind kind, int limit, string? afterName, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<Actor>>(async connection => (await QueryAsync(connection, Command(
            $"{Select} WHERE workspace_id = @workspaceId AND kind = @kind {(afterName is null ? "" : "AND name > @afterName")} ORDER BY name LIMIT @limit",
            new { workspaceId, kind = EnumText.Of(kind), afterName, limit }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);
    }

    public async Task<Actor> UpdateAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name);
        var now = db.Now();
        try
        {
            return await db.WriteAsync(async (connection, transaction) =>
            {
                var row = await QuerySingleAsync(connection, Command(
                    """
                    UPDATE actors SET name = @name, connector = @connector, config = @config, version = version + 1, updated_at = @now
                    WHERE id = @id AND version = @version
                    RETURNING id, workspace_id, kind, name, connector, config, version, created_at, updated_at
                    """,
                    new { id = actor.Id, version = actor.Version, name = actor.Name, connector = actor.Connector, config = db.Dialect.Json(actor.Config.ToJsonString()), now },
                    transaction, cancellationToken));
                if (row is { } updated)
                    return Map(updated);
                var exists = await connection.ExecuteScalarAsync<long>(Command("SELECT count(*) FROM actors WHERE id = @id", new { id = actor.Id }, transaction, cancellationToken));
                throw exists == 0 ? new NotFoundException("actor", actor.Id.ToString()) : new ConcurrencyException(Entity(actor.Kind), actor.Id, actor.Version);
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException(Entity(actor.Kind), actor.Name);
        }
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        string? name = null, entity = null;
        try
        {
            return await db.WriteAsync(async (connection, transaction) =>
            {
                if (await QuerySingleAsync(connection, Command("SELECT kind, name FROM actors WHERE id = @id", new { id }, transaction, cancellationToken)) is not { } row)
                    return false;
                (name, entity) = (row.String("name"), Entity(row.Enum<ActorKind>("kind")));
                var users = (await connection.QueryAsync<string>(Command(
                    "SELECT name FROM connections WHERE source_id = @id OR destination_id = @id ORDER BY name",
                    new { id }, transaction, cancellationToken))).ToList();
                if (users.Count > 0)
                    throw new InUseException(entity, name, UsedBy(users));
                await connection.ExecuteAsync(Command("DELETE FROM actors WHERE id = @id", new { id }, transaction, cancellationToken));
                return true;
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            // A connection was created between the check and the delete (PostgreSQL only; SQLite has one writer).
            throw new InUseException(entity ?? "actor", name ?? id.ToString(), "a connection");
        }
    }

    internal static string Entity(ActorKind kind) => EnumText.Of(kind);

    private static string UsedBy(List<string> connections) =>
        (connections.Count == 1 ? "connection " : "connections ") + string.Join(", ", connections.Take(5).Select(c => $"'{c}'")) +
        (connections.Count > 5 ? $" and {connections.Count - 5} more" : "");

    private Task<Actor?> SingleAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        db.ReadAsync(async connection =>
            await QuerySingleAsync(connection, Command(sql, parameters, null, cancellationToken)) is { } row ? Map(row) : null, cancellationToken);

    private static Actor Map(Row row) => new()
    {
        Id = row.Guid("id"),
        WorkspaceId = row.Guid("workspace_id"),
        Kind = row.Enum<ActorKind>("kind"),
        Name = row.String("name"),
        Connector = row.String("connector"),
        Config = JsonNode.Parse(row.String("config"))!.AsObject(),
        Version = row.Int("version"),
        CreatedAt = row.Time("created_at"),
        UpdatedAt = row.Time("updated_at"),
    };
}
