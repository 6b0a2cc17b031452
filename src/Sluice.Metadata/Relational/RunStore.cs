using System.Text;
using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>DAG runs; task instances, claims and logs are in the RunStore.*.cs partials.</summary>
internal sealed partial class RunStore(Database db) : IRunStore
{
    private static readonly string[] RunColumns =
        ["id", "dag", "logical_date", "interval_start", "interval_end", "state", "run_type", "params", "version", "created_at", "started_at", "ended_at"];

    private static readonly string SelectRun = $"SELECT {string.Join(", ", RunColumns)} FROM dag_runs";

    /// <summary>The run's columns from <paramref name="alias"/>, each named with <paramref name="prefix"/> (for joins with tasks).</summary>
    private static string RunColumnsAs(string alias, string prefix) => string.Join(", ", RunColumns.Select(c => $"{alias}.{c} AS {prefix}{c}"));

    public Task<DagRunRecord?> CreateRunAsync(DagRunRecord run, IReadOnlyList<NewTaskInstance> tasks, long? fencingToken = null, CancellationToken cancellationToken = default) =>
        db.WriteAsync<DagRunRecord?>(async (c, tx) =>
        {
            await FenceAsync(c, tx, fencingToken, cancellationToken);
            var now = db.Now();
            // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL an error would abort the transaction.
            var id = await c.ExecuteScalarAsync<long?>(Command(
                """
                INSERT INTO dag_runs (dag, logical_date, interval_start, interval_end, state, run_type, params, version, created_at, started_at)
                VALUES (@Dag, @LogicalDate, @IntervalStart, @IntervalEnd, @State, @RunType, @Params, @Version, @now, @startedAt)
                ON CONFLICT (dag, logical_date) DO NOTHING
                RETURNING id
                """,
                new
                {
                    run.Dag, LogicalDate = run.LogicalDate.ToUniversalTime(), IntervalStart = run.IntervalStart.ToUniversalTime(),
                    IntervalEnd = run.IntervalEnd.ToUniversalTime(), run.State, run.RunType, Params = db.Dialect.Json(run.Params), run.Version, now,
                    startedAt = run.State == "running" ? now : (DateTimeOffset?)null,
                }, tx, cancellationToken));
            if (id is null)
                return null;
            // A run triggered through a stateless server is started by a scheduler in another process: wake it.
            await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken);
            foreach (var task in tasks)
                await c.ExecuteAsync(Command(
                    "INSERT INTO task_instances (run_id, task_id, state, attempt, try_number, pool, priority, queue) VALUES (@id, @TaskId, @State, 1, 0, @Pool, @Priority, @Queue)",
                    new { id, task.TaskId, task.State, task.Pool, task.Priority, task.Queue }, tx, cancellationToken));
            return run with { Id = id.Value, CreatedAt = now, StartedAt = run.State == "running" ? now : null };
        }, cancellationToken);

    public Task<DagRunRecord?> GetRunAsync(long id, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command($"{SelectRun} WHERE id = @id", new { id }, null, cancellationToken)) is { } row ? MapRun(row) : null,
            cancellationToken);

    public Task<IReadOnlyList<DagRunRecord>> ListRunsAsync(string? dag, IReadOnlyCollection<string>? states, int limit, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder(SelectRun).Append(" WHERE 1 = 1");
        if (dag is not null)
            sql.Append(" AND dag = @dag");
        if (states is { Count: > 0 })
            sql.Append(" AND state IN ").Append(SqlList.Of(states));
        sql.Append(" ORDER BY logical_date DESC, id DESC LIMIT @limit");
        return db.ReadAsync<IReadOnlyList<DagRunRecord>>(async c =>
            (await QueryAsync(c, Command(sql.ToString(), new { dag, limit }, null, cancellationToken))).Select(MapRun).ToList(), cancellationToken);
    }

    public Task<IReadOnlyList<DagRunRecord>> ListRunsPageAsync(string? dag, IReadOnlyCollection<string>? states, int limit, long? beforeId, CancellationToken cancellationToken = default) =>
        ListRunsPageAsync(null, dag, states, limit, beforeId, cancellationToken);

    public Task<IReadOnlyList<DagRunRecord>> ListWorkspaceRunsPageAsync(Guid workspaceId, string? dag, IReadOnlyCollection<string>? states, int limit, long? beforeId,
        CancellationToken cancellationToken = default) =>
        ListRunsPageAsync(workspaceId, dag, states, limit, beforeId, cancellationToken);

    private Task<IReadOnlyList<DagRunRecord>> ListRunsPageAsync(Guid? workspaceId, string? dag, IReadOnlyCollection<string>? states, int limit, long? beforeId,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var sql = new StringBuilder(SelectRun).Append(" WHERE 1 = 1");
        if (workspaceId is not null)
            sql.Append(" AND dag IN (SELECT name FROM dags WHERE workspace_id = @workspaceId)");
        if (dag is not null)
            sql.Append(" AND dag = @dag");
        if (states is { Count: > 0 })
            sql.Append(" AND state IN ").Append(SqlList.Of(states));
        if (beforeId is not null)
            sql.Append(" AND id < @beforeId");
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return db.ReadAsync<IReadOnlyList<DagRunRecord>>(async c =>
            (await QueryAsync(c, Command(sql.ToString(), new { workspaceId, dag, beforeId, limit }, null, cancellationToken))).Select(MapRun).ToList(), cancellationToken);
    }

    public Task<DagRunRecord?> LatestRunAsync(string dag, IReadOnlyCollection<string> runTypes, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command(
            $"{SelectRun} WHERE dag = @dag AND run_type IN {SqlList.Of(runTypes)} ORDER BY logical_date DESC LIMIT 1", new { dag }, null, cancellationToken)) is { } row
            ? MapRun(row)
            : null, cancellationToken);

    public Task<IReadOnlyList<DagRunRecord>> EndedSinceAsync(string state, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<DagRunRecord>>(async c => (await QueryAsync(c, Command(
            $"{SelectRun} WHERE state = @state AND ended_at > @since ORDER BY ended_at", new { state, since = since.ToUniversalTime() }, null, cancellationToken))).Select(MapRun).ToList(),
            cancellationToken);

    public async Task<bool> SetRunStateAsync(long id, string fromState, string toState, long? fencingToken = null, CancellationToken cancellationToken = default)
    {
        // Entering running stamps the start (once); entering anything else than queued or running ends the run.
        const string sql = """
            UPDATE dag_runs SET state = @toState,
              started_at = CASE WHEN @toState = 'running' THEN COALESCE(started_at, @now) ELSE started_at END,
              ended_at = CASE WHEN @toState IN ('queued', 'running') THEN NULL ELSE @now END
            WHERE id = @id AND state = @fromState
            """;
        return await db.WriteAsync(async (c, tx) =>
        {
            await FenceAsync(c, tx, fencingToken, cancellationToken);
            return await c.ExecuteAsync(Command(sql, new { id, fromState, toState, now = db.Now() }, tx, cancellationToken));
        }, cancellationToken) > 0;
    }

    /// <summary>
    /// Refuses a scheduler's write whose token is no longer the lease's. The row is read with a share lock, so a
    /// takeover waits for this transaction: the write lands wholly before the new scheduler starts, or not at all.
    /// </summary>
    private async Task FenceAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, long? fencingToken, CancellationToken cancellationToken)
    {
        if (fencingToken is not { } token)
            return;
        var current = await c.ExecuteScalarAsync<long>(Command($"SELECT token FROM scheduler_lease WHERE id = 1{db.Dialect.ShareLock}", null, tx, cancellationToken));
        if (current != token)
            throw new LeaseLostException(token);
    }

    // Columns read with a prefix come from a join where the task's columns keep the plain names (the claim).
    private static DagRunRecord MapRun(Row row) => MapRun(row, "");

    private static DagRunRecord MapRun(Row row, string prefix) => new()
    {
        Id = row.Long(prefix + "id"),
        Dag = row.String(prefix + "dag"),
        LogicalDate = row.Time(prefix + "logical_date"),
        IntervalStart = row.Time(prefix + "interval_start"),
        IntervalEnd = row.Time(prefix + "interval_end"),
        State = row.String(prefix + "state"),
        RunType = row.String(prefix + "run_type"),
        Params = row.String(prefix + "params"),
        Version = row.Int(prefix + "version"),
        CreatedAt = row.Time(prefix + "created_at"),
        StartedAt = row.TimeOrNull(prefix + "started_at"),
        EndedAt = row.TimeOrNull(prefix + "ended_at"),
    };
}
