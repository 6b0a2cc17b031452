using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Sluice.Core.Model;
using Sluice.Core.Protocol;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>Connections; the configured catalog is kept as its Airbyte-protocol JSON.</summary>
internal sealed class ConnectionStore(Database db) : IConnectionStore
{
    private const string Columns =
        "id, workspace_id, name, source_id, destination_id, catalog, schedule, schedule_timezone, status, prefix, destination_namespace, schema_change_policy, version, created_at, updated_at";

    public async Task<Connection> CreateAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.Name);
        var now = db.Now();
        var created = connection with { Id = connection.Id == Guid.Empty ? Guid.CreateVersion7(now) : connection.Id, Version = 1, CreatedAt = now, UpdatedAt = now };
        try
        {
            await db.WriteAsync(async (c, transaction) =>
            {
                await CheckEndsAsync(c, transaction, created, cancellationToken);
                await c.ExecuteAsync(Command(
                    $"INSERT INTO connections ({Columns}, stream_count) VALUES (@id, @workspaceId, @name, @sourceId, @destinationId, @catalog, @schedule, @scheduleTimeZone, @status, @prefix, @destinationNamespace, @schemaChangePolicy, 1, @now, @now, @streamCount)",
                    Parameters(created, now), transaction, cancellationToken));
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException("connection", connection.Name);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("workspace", connection.WorkspaceId.ToString());
        }
        return created;
    }

    public Task<Connection?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SingleAsync("WHERE id = @id", new { id }, cancellationToken);

    public Task<Connection?> FindByNameAsync(Guid workspaceId, string name, CancellationToken cancellationToken = default) =>
        SingleAsync("WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name }, cancellationToken);

    public Task<IReadOnlyList<Connection>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<Connection>>(async c => (await QueryAsync(c, Command(
            $"SELECT {Columns} FROM connections WHERE workspace_id = @workspaceId ORDER BY name", new { workspaceId }, null, cancellationToken))).Select(Map).ToList(),
            cancellationToken);

    private const string OverviewColumns =
        "id, workspace_id, name, source_id, destination_id, stream_count, schedule, schedule_timezone, status, prefix, destination_namespace, schema_change_policy, version, created_at, updated_at";
    private static readonly string FirstOverviewPage =
        $"SELECT {OverviewColumns} FROM connections WHERE workspace_id = @workspaceId ORDER BY name LIMIT @limit";
    private static readonly string NextOverviewPage =
        $"SELECT {OverviewColumns} FROM connections WHERE workspace_id = @workspaceId AND name > @afterName ORDER BY name LIMIT @limit";

    // The API's connection list: read column by column with typed getters (no Dapper dynamic rows) on a kept statement, or
    // the same rows again when nothing was committed since this connection last read them (see Database.ReadRowsReusedAsync).
    public Task<IReadOnlyList<ConnectionOverview>> ListOverviewsAsync(Guid workspaceId, int limit, string? afterName, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        KeyValuePair<string, object?>[] parameters = afterName is null
            ? [new("@workspaceId", workspaceId), new("@limit", limit)]
            : [new("@workspaceId", workspaceId), new("@afterName", afterName), new("@limit", limit)];
        return db.ReadAsync(c => db.ReadRowsReusedAsync(c, afterName is null ? FirstOverviewPage : NextOverviewPage,
            parameters, ReadOverview, cancellationToken), cancellationToken);
    }

    private static ConnectionOverview ReadOverview(DbDataReader reader) => new()
    {
        Id = Fields.Guid(reader, 0),
        WorkspaceId = Fields.Guid(reader, 1),
        Name = reader.GetString(2),
        SourceId = Fields.Guid(reader, 3),
        DestinationId = Fields.Guid(reader, 4),
        StreamCount = Fields.Int(reader, 5),
        Schedule = Fields.StringOrNull(reader, 6),
        TimeZone = Fields.StringOrNull(reader, 7),
        Status = Fields.Enum<ConnectionStatus>(reader, 8),
        Prefix = Fields.StringOrNull(reader, 9),
        DestinationNamespace = Fields.StringOrNull(reader, 10),
        SchemaChangePolicy = Fields.Enum<SchemaChangePolicy>(reader, 11),
        Version = Fields.Int(reader, 12),
        CreatedAt = Fields.Time(reader, 13),
        UpdatedAt = Fields.Time(reader, 14),
    };

    public async Task<Connection> UpdateAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.Name);
        var now = db.Now();
        try
        {
            return await db.WriteAsync((c, transaction) => UpdateInAsync(c, transaction, connection, now, cancellationToken), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException("connection", connection.Name);
        }
    }

    /// <summary>The optimistic update inside a caller's transaction (the schema store commits a connection with its schema changes).</summary>
    internal async Task<Connection> UpdateInAsync(DbConnection c, DbTransaction transaction, Connection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CheckEndsAsync(c, transaction, connection, cancellationToken);
        var row = await QuerySingleAsync(c, Command(
            $"""
            UPDATE connections SET name = @name, source_id = @sourceId, destination_id = @destinationId, catalog = @catalog, stream_count = @streamCount, schedule = @schedule, schedule_timezone = @scheduleTimeZone,
                status = @status, prefix = @prefix, destination_namespace = @destinationNamespace, schema_change_policy = @schemaChangePolicy,
                version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, Parameters(connection, now), transaction, cancellationToken));
        if (row is { } updated)
            return Map(updated);
        var exists = await c.ExecuteScalarAsync<long>(Command("SELECT count(*) FROM connections WHERE id = @id", new { id = connection.Id }, transaction, cancellationToken));
        throw exists == 0 ? new NotFoundException("connection", connection.Id.ToString()) : new ConcurrencyException("connection", connection.Id, connection.Version);
    }

    // Jobs, attempts and state go with it through ON DELETE CASCADE.
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, transaction) =>
            await c.ExecuteAsync(Command("DELETE FROM connections WHERE id = @id", new { id }, transaction, cancellationToken)) > 0, cancellationToken);

    /// <summary>The foreign keys only prove the actors exist; a source in the destination slot, or another workspace's actor, is refused here.</summary>
    private static async Task CheckEndsAsync(DbConnection c, DbTransaction transaction, Connection connection, CancellationToken cancellationToken)
    {
        foreach (var (id, kind) in new[] { (connection.SourceId, ActorKind.Source), (connection.DestinationId, ActorKind.Destination) })
        {
            var entity = ActorStore.Entity(kind);
            var row = await QuerySingleAsync(c, Command("SELECT kind, workspace_id FROM actors WHERE id = @id", new { id }, transaction, cancellationToken))
                ?? throw new NotFoundException(entity, id.ToString());
            if (row.Enum<ActorKind>("kind") != kind)
                throw new ArgumentException($"actor {id} is a {ActorStore.Entity(row.Enum<ActorKind>("kind"))}, not a {entity}", nameof(connection));
            if (row.Guid("workspace_id") != connection.WorkspaceId)
                throw new ArgumentException($"{entity} {id} belongs to another workspace", nameof(connection));
        }
    }

    private object Parameters(Connection connection, DateTimeOffset now) => new
    {
        id = connection.Id,
        workspaceId = connection.WorkspaceId,
        name = connection.Name,
        sourceId = connection.SourceId,
        destinationId = connection.DestinationId,
        catalog = db.Dialect.Json(AirbyteCatalogJson.ToJson(connection.Catalog).ToJsonString()),
        streamCount = connection.Catalog.Streams.Count,
        schedule = connection.Schedule,
        scheduleTimeZone = connection.TimeZone,
        status = EnumText.Of(connection.Status),
        prefix = connection.Prefix,
        destinationNamespace = connection.DestinationNamespace,
        schemaChangePolicy = EnumText.Of(connection.SchemaChangePolicy),
        version = connection.Version,
        now,
    };

    private Task<Connection?> SingleAsync(string where, object parameters, CancellationToken cancellationToken) =>
        db.ReadAsync(async c =>
            await QuerySingleAsync(c, Command($"SELECT {Columns} FROM connections {where}", parameters, null, cancellationToken)) is { } row ? Map(row) : null,
            cancellationToken);

    private static Connection Map(Row row) => new()
    {
        Id = row.Guid("id"),
        WorkspaceId = row.Guid("workspace_id"),
        Name = row.String("name"),
        SourceId = row.Guid("source_id"),
        DestinationId = row.Guid("destination_id"),
        Catalog = AirbyteCatalogJson.ParseConfiguredCatalog(JsonNode.Parse(row.String("catalog"))!),
        Schedule = row.StringOrNull("schedule"),
        TimeZone = row.StringOrNull("schedule_timezone"),
        Status = row.Enum<ConnectionStatus>("status"),
        Prefix = row.StringOrNull("prefix"),
        DestinationNamespace = row.StringOrNull("destination_namespace"),
        SchemaChangePolicy = row.Enum<SchemaChangePolicy>("schema_change_policy"),
        Version = row.Int("version"),
        CreatedAt = row.Time("created_at"),
        UpdatedAt = row.Time("updated_at"),
    };
}
