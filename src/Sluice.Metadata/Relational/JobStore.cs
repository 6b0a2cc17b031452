using System.Data.Common;
using System.Text;
using Dapper;
using Sluice.Core.Model;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>Jobs; their attempts are in JobStore.Attempts.cs.</summary>
internal sealed partial class JobStore(Database db) : IJobStore
{
    private const string Select = "SELECT id, connection_id, kind, status, created_at, started_at, ended_at, stats, error, attempts FROM jobs";

    public async Task<Job> CreateAsync(Guid connectionId, JobKind kind, CancellationToken cancellationToken = default)
    {
        var now = db.Now();
        try
        {
            // RETURNING rather than "last insert id": it is the same SQL on both databases and cannot see another writer's row.
            var id = await db.WriteAsync((c, transaction) => c.ExecuteScalarAsync<long>(Command(
                "INSERT INTO jobs (connection_id, kind, status, created_at, stats, attempts) VALUES (@connectionId, @kind, @status, @now, @stats, 0) RETURNING id",
                new { connectionId, kind = EnumText.Of(kind), status = EnumText.Of(JobStatus.Pending), now, stats = db.Dialect.Json(StatsJson.Write(SyncStats.Empty)) },
                transaction, cancellationToken)), cancellationToken);
            return new Job { Id = id, ConnectionId = connectionId, Kind = kind, Status = JobStatus.Pending, CreatedAt = now };
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("connection", connectionId.ToString());
        }
    }

    public Task<Job?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
            await QuerySingleAsync(c, Command($"{Select} WHERE id = @id", new { id }, null, cancellationToken)) is { } row ? Map(row) : null, cancellationToken);

    public Task<IReadOnlyList<Job>> ListAsync(Guid? connectionId, int limit, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var sql = new StringBuilder(Select).Append(" WHERE 1 = 1");
        if (connectionId is not null)
            sql.Append(" AND connection_id = @connectionId");
        if (beforeId is not null)
            sql.Append(" AND id < @beforeId");
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return db.ReadAsync<IReadOnlyList<Job>>(async c =>
            (await QueryAsync(c, Command(sql.ToString(), new { connectionId, beforeId, limit }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);
    }

    public Task<IReadOnlyList<Job>> ListInWorkspaceAsync(Guid workspaceId, Guid? connectionId, int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var sql = new StringBuilder(Select).Append(" WHERE connection_id IN (SELECT id FROM connections WHERE workspace_id = @workspaceId)");
        if (connectionId is not null)
            sql.Append(" AND connection_id = @connectionId");
        if (beforeId is not null)
            sql.Append(" AND id < @beforeId");
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return db.ReadAsync<IReadOnlyList<Job>>(async c =>
            (await QueryAsync(c, Command(sql.ToString(), new { workspaceId, connectionId, beforeId, limit }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);
    }

    public Task<Guid?> WorkspaceOfAsync(long jobId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command(
            "SELECT c.workspace_id FROM jobs j JOIN connections c ON c.id = j.connection_id WHERE j.id = @jobId", new { jobId }, null, cancellationToken)) is { } row
            ? row.Guid("workspace_id")
            : (Guid?)null, cancellationToken);

    public async Task FinishAsync(long jobId, JobStatus status, string? error, CancellationToken cancellationToken = default)
    {
        RequireFinal(status);
        var updated = await db.WriteAsync((c, transaction) => c.ExecuteAsync(Command(
            "UPDATE jobs SET status = @status, error = @error, ended_at = @now WHERE id = @jobId",
            new { jobId, status = EnumText.Of(status), error, now = db.Now() }, transaction, cancellationToken)), cancellationToken);
        if (updated == 0)
            throw new NotFoundException("job", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void RequireFinal(JobStatus status)
    {
        if (status is not (JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled))
            throw new ArgumentOutOfRangeException(nameof(status), status, "a job or attempt ends as Succeeded, Failed or Cancelled");
    }

    private static Job Map(Row row) => new()
    {
        Id = row.Long("id"),
        ConnectionId = row.Guid("connection_id"),
        Kind = row.Enum<JobKind>("kind"),
        Status = row.Enum<JobStatus>("status"),
        CreatedAt = row.Time("created_at"),
        StartedAt = row.TimeOrNull("started_at"),
        EndedAt = row.TimeOrNull("ended_at"),
        Stats = StatsJson.Read(row.String("stats")),
        Error = row.StringOrNull("error"),
        Attempts = row.Int("attempts"),
    };
}
