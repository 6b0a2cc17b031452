using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Sluice.Core.Catalog;
using Sluice.Core.State;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>One row per (connection, stream) plus one for the global state, keyed by <see cref="Key"/>.</summary>
internal sealed class StateStore(Database db) : IStateStore
{
    private const string GlobalKey = "";

    public Task<SyncState> GetAsync(Guid connectionId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            var rows = await QueryAsync(c, Command(
                "SELECT stream_key, stream_namespace, stream_name, data FROM sync_state WHERE connection_id = @connectionId", new { connectionId }, null, cancellationToken));
            var streams = new Dictionary<StreamDescriptor, JsonNode>();
            JsonNode? global = null;
            foreach (var row in rows)
            {
                var data = JsonNode.Parse(row.String("data"))!;
                if (row.String("stream_key") == GlobalKey)
                    global = data;
                else
                    streams[new StreamDescriptor(row.String("stream_name"), row.StringOrNull("stream_namespace"))] = data;
            }
            return new SyncState(streams, global);
        }, cancellationToken);

    public async Task SaveAsync(Guid connectionId, Checkpoint checkpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.WriteAsync((c, transaction) => c.ExecuteAsync(Command(
                """
                INSERT INTO sync_state (connection_id, stream_key, stream_namespace, stream_name, data, updated_at)
                VALUES (@connectionId, @key, @ns, @name, @data, @now)
                ON CONFLICT (connection_id, stream_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
                """,
                new
                {
                    connectionId, key = Key(checkpoint.Stream), ns = checkpoint.Stream?.Namespace, name = checkpoint.Stream?.Name,
                    data = db.Dialect.Json(checkpoint.Data.ToJsonString()), now = db.Now(),
                }, transaction, cancellationToken)), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("connection", connectionId.ToString());
        }
    }

    public Task ResetAsync(Guid connectionId, StreamDescriptor? stream, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, transaction) => stream is null
            ? c.ExecuteAsync(Command("DELETE FROM sync_state WHERE connection_id = @connectionId", new { connectionId }, transaction, cancellationToken))
            : c.ExecuteAsync(Command("DELETE FROM sync_state WHERE connection_id = @connectionId AND stream_key = @key",
                new { connectionId, key = Key(stream) }, transaction, cancellationToken)), cancellationToken);

    /// <summary>
    /// '' for the global state, else the JSON pair [namespace, name]: unambiguous for any names, and a null namespace
    /// still makes a real key (NULLs never collide in a primary key).
    /// </summary>
    internal static string Key(StreamDescriptor? stream) =>
        stream is null ? GlobalKey : JsonSerializer.Serialize(new[] { stream.Namespace, stream.Name });
}
