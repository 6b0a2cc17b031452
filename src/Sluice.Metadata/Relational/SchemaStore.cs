using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Sluice.Core.Catalog;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Core.Protocol;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>Snapshots keyed like sync_state (<see cref="StateStore.Key"/>); changes in an append-only table.</summary>
internal sealed class SchemaStore(Database db, ConnectionStore connections) : ISchemaStore
{
    public Task<IReadOnlyDictionary<StreamDescriptor, StreamSchema>> GetSnapshotAsync(Guid connectionId, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyDictionary<StreamDescriptor, StreamSchema>>(async c =>
        {
            var rows = await QueryAsync(c, Command("SELECT schema FROM schema_snapshots WHERE connection_id = @connectionId", new { connectionId }, null, cancellationToken));
            return rows.Select(r => AirbyteCatalogJson.ParseStream(JsonNode.Parse(r.String("schema"))!)).ToDictionary(s => s.Descriptor);
        }, cancellationToken);

    public async Task<(Connection Connection, IReadOnlyList<SchemaChangeRecord> Changes)> CommitAsync(SchemaCommit commit, CancellationToken cancellationToken = default)
    {
        var connectionId = commit.Connection.Id;
        try
        {
            return await db.WriteAsync<(Connection, IReadOnlyList<SchemaChangeRecord>)>(async (c, transaction) =>
            {
                var now = db.Now();
                var result = commit.Connection;
                if (commit.Updated is { } updated)
                    result = await connections.UpdateInAsync(c, transaction, updated with { Version = commit.Connection.Version }, now, cancellationToken);
                if (commit.Snapshot is { } snapshot)
                    await SaveSnapshotAsync(c, transaction, connectionId, snapshot, now, cancellationToken);
                var stored = new List<SchemaChangeRecord>();
                foreach (var record in commit.Changes)
                {
                    var id = await c.ExecuteScalarAsync<long>(Command(
                        """
                        INSERT INTO schema_changes (connection_id, at, job_id, stream_namespace, stream_name, kind, column_name, old_type, new_type, action, message)
                        VALUES (@connectionId, @now, @jobId, @ns, @name, @kind, @column, @oldType, @newType, @action, @message) RETURNING id
                        """,
                        new
                        {
                            connectionId, now, jobId = record.JobId, ns = record.Stream.Namespace, name = record.Stream.Name,
                            kind = EnumText.Of(record.Change.Kind), column = record.Change.Column, oldType = record.Change.OldType,
                            newType = record.Change.NewType, action = EnumText.Of(record.Action), message = record.Message,
                        }, transaction, cancellationToken));
                    stored.Add(record with { Id = id, At = now, ConnectionId = connectionId });
                }
                return (result, stored);
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("connection", connectionId.ToString());
        }
    }

    public Task<IReadOnlyList<SchemaChangeRecord>> ListChangesAsync(Guid connectionId, int limit, long? before = null, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<SchemaChangeRecord>>(async c => (await QueryAsync(c, Command(
            before is null
                ? "SELECT * FROM schema_changes WHERE connection_id = @connectionId ORDER BY id DESC LIMIT @limit"
                : "SELECT * FROM schema_changes WHERE connection_id = @connectionId AND id < @before ORDER BY id DESC LIMIT @limit",
            new { connectionId, limit, before }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    /// <summary>Writes only the rows that differ: a catalog of a thousand tables must not cost a thousand writes per sync.</summary>
    private static async Task SaveSnapshotAsync(DbConnection c, DbTransaction transaction, Guid connectionId, IReadOnlyList<StreamSchema> snapshot,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = (await QueryAsync(c, Command("SELECT stream_key, schema FROM schema_snapshots WHERE connection_id = @connectionId", new { connectionId }, transaction, cancellationToken)))
            .ToDictionary(r => r.String("stream_key"), r => r.String("schema"));
        var keep = new HashSet<string>();
        foreach (var stream in snapshot)
        {
            var key = StateStore.Key(stream.Descriptor);
            keep.Add(key);
            var schema = AirbyteCatalogJson.ToJson(stream with { EstimatedRows = null }).ToJsonString();
            if (stored.TryGetValue(key, out var old) && old == schema)
                continue;
            await c.ExecuteAsync(Command(
                """
                INSERT INTO schema_snapshots (connection_id, stream_key, stream_namespace, stream_name, schema, updated_at)
                VALUES (@connectionId, @key, @ns, @name, @schema, @now)
                ON CONFLICT (connection_id, stream_key) DO UPDATE SET schema = excluded.schema, updated_at = excluded.updated_at
                """,
                new { connectionId, key, ns = stream.Namespace, name = stream.Name, schema, now }, transaction, cancellationToken));
        }
        foreach (var key in stored.Keys.Where(k => !keep.Contains(k)))
            await c.ExecuteAsync(Command("DELETE FROM schema_snapshots WHERE connection_id = @connectionId AND stream_key = @key", new { connectionId, key }, transaction, cancellationToken));
    }

    private static SchemaChangeRecord Map(Row row) => new()
    {
        Id = row.Long("id"),
        ConnectionId = row.Guid("connection_id"),
        At = row.Time("at"),
        JobId = row.IsNull("job_id") ? null : row.Long("job_id"),
        Change = new SchemaChange(new StreamDescriptor(row.String("stream_name"), row.StringOrNull("stream_namespace")),
            row.Enum<SchemaChangeKind>("kind"), row.StringOrNull("column_name"), row.StringOrNull("old_type"), row.StringOrNull("new_type")),
        Action = row.Enum<SchemaChangeAction>("action"),
        Message = row.String("message"),
    };
}
