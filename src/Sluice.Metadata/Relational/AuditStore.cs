using Dapper;
using Sluice.Metadata.Identity;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed class AuditStore(Database db) : IAuditStore
{
    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var id = await db.WriteAsync((connection, transaction) => connection.ExecuteScalarAsync<long>(Command(
            """
            INSERT INTO audit_log (at, actor, workspace_id, action, target, status, before, after)
            VALUES (@At, @Actor, @WorkspaceId, @Action, @Target, @Status, @Before, @After) RETURNING id
            """, entry, transaction, cancellationToken)), cancellationToken);
        return entry with { Id = id };
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? before, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(async connection =>
            (await QueryAsync(connection, Command(
                before is null
                    ? "SELECT * FROM audit_log ORDER BY id DESC LIMIT @limit"
                    : "SELECT * FROM audit_log WHERE id < @before ORDER BY id DESC LIMIT @limit",
                new { limit, before }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAsync(Guid workspaceId, int limit, long? before, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(async connection =>
            (await QueryAsync(connection, Command(
                $"SELECT * FROM audit_log WHERE workspace_id = @workspaceId {(before is null ? "" : "AND id < @before")} ORDER BY id DESC LIMIT @limit",
                new { workspaceId, limit, before }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    private static AuditEntry Map(Row row) => new()
    {
        Id = row.Long("id"),
        At = row.Time("at"),
        Actor = row.String("actor"),
        WorkspaceId = row.IsNull("workspace_id") ? null : row.Guid("workspace_id"),
        Action = row.String("action"),
        Target = row.StringOrNull("target"),
        Status = row.Int("status"),
        Before = row.StringOrNull("before"),
        After = row.StringOrNull("after"),
    };
}
