using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed partial class RunStore
{
    private const string TaskColumns =
        """
        id, run_id, task_id, state, attempt, try_number, pool, queue, priority, queued_at, started_at, ended_at, worker_id, heartbeat_at,
               next_retry_at, exit_code, error
        """;

    private const string SelectTask = $"SELECT {TaskColumns} FROM task_instances";

    // States after which an attempt is over; entering one stamps ended_at with the outcome.
    private static readonly HashSet<string> EndStates = ["success", "failed", "skipped", "upstream_failed", "up_for_retry", "removed"];

    public Task<IReadOnlyList<TaskInstanceRecord>> ListTasksAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default) =>
        runIds.Count == 0
            ? Task.FromResult<IReadOnlyList<TaskInstanceRecord>>([])
            : db.ReadAsync<IReadOnlyList<TaskInstanceRecord>>(async c => (await QueryAsync(c, Command(
                $"{SelectTask} WHERE run_id IN {SqlList.Of(runIds)} ORDER BY run_id, id", null, null, cancellationToken))).Select(MapTask).ToList(), cancellationToken);

    public Task<IReadOnlyList<TaskInstanceRecord>> ListTasksInStatesAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string> states, CancellationToken cancellationToken = default) =>
        runIds.Count == 0 || states.Count == 0
            ? Task.FromResult<IReadOnlyList<TaskInstanceRecord>>([])
            : db.ReadAsync<IReadOnlyList<TaskInstanceRecord>>(async c => (await QueryAsync(c, Command(
                $"{SelectTask} WHERE run_id IN {SqlList.Of(runIds)} AND state IN {SqlList.Of(states)} ORDER BY run_id, id",
                null, null, cancellationToken))).Select(MapTask).ToList(), cancellationToken);

    // One EXISTS per run: the index on (run_id, state) answers it from the first matching entry, however large the run.
    public Task<IReadOnlySet<long>> RunsWithTasksInStatesAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string> states, CancellationToken cancellationToken = default) =>
        runIds.Count == 0 || states.Count == 0
            ? Task.FromResult<IReadOnlySet<long>>(new HashSet<long>())
            : db.ReadAsync<IReadOnlySet<long>>(async c => (await QueryAsync(c, Command(
                $"SELECT r.id FROM dag_runs r WHERE r.id IN {SqlList.Of(runIds)} AND EXISTS (SELECT 1 FROM task_instances t WHERE t.run_id = r.id AND t.state IN {SqlList.Of(states)})",
                null, null, cancellationToken))).Select(r => r.Long("id")).ToHashSet(), cancellationToken);

    public Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, int>>> CountTasksByStateAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string>? states = null,
        CancellationToken cancellationToken = default) =>
        runIds.Count == 0 || states is { Count: 0 }
            ? Task.FromResult<IReadOnlyDictionary<long, IReadOnlyDictionary<string, int>>>(new Dictionary<long, IReadOnlyDictionary<string, int>>())
            : db.ReadAsync<IReadOnlyDictionary<long, IReadOnlyDictionary<string, int>>>(async c => (await QueryAsync(c, Command(
                    $"SELECT run_id, state, count(*) AS n FROM task_instances WHERE run_id IN {SqlList.Of(runIds)}{(states is null ? "" : $" AND state IN {SqlList.Of(states)}")} GROUP BY run_id, state",
                    null, null, cancellationToken)))
                .GroupBy(r => r.Long("run_id"))
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(r => r.String("state"), r => r.Int("n"), StringComparer.Ordinal)),
                cancellationToken);

    public Task<TaskInstanceRecord?> GetTaskAsync(long id, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command($"{SelectTask} WHERE id = @id", new { id }, null, cancellationToken)) is { } row ? MapTask(row) : null,
            cancellationToken);

    public async Task<bool> TransitionAsync(TaskStateChange change, CancellationToken cancellationToken = default)
    {
        var sql = $"UPDATE task_instances SET state = @ToState, attempt = @NewAttempt, {SetFor(change.ToState)} WHERE id = @TaskInstanceId AND state = @FromState AND attempt = @ExpectedAttempt RETURNING queue";
        return await db.WriteAsync(async (c, tx) =>
        {
            await FenceAsync(c, tx, change.FencingToken, cancellationToken);
            var queue = await c.ExecuteScalarAsync<string?>(Command(sql, new
            {
                change.ToState, change.NewAttempt, change.TaskInstanceId, change.FromState, change.ExpectedAttempt,
                NextRetryAt = change.NextRetryAt?.ToUniversalTime(), change.ExitCode, change.Error, now = db.Now(),
            }, tx, cancellationToken));
            if (!string.IsNullOrEmpty(change.AppendLog))
                await AppendLogAsync(c, tx, change.TaskInstanceId, change.ExpectedAttempt, change.AppendLog, cancellationToken);
            if (queue is null)
                return false;
            await NotifyAsync(c, tx, change.ToState, queue, cancellationToken);
            return true;
        }, cancellationToken);
    }

    // What entering a state stamps besides the state and the attempt.
    private static string SetFor(string toState) => toState switch
    {
        "queued" => "queued_at = @now",
        "running" => "started_at = @now, heartbeat_at = @now",
        "none" => "queued_at = NULL, started_at = NULL, ended_at = NULL, worker_id = NULL, heartbeat_at = NULL, next_retry_at = NULL, exit_code = NULL, error = NULL, try_number = 0",
        var s when EndStates.Contains(s) => "ended_at = @now, next_retry_at = @NextRetryAt, exit_code = @ExitCode, error = @Error",
        _ => "next_retry_at = NULL",
    };

    public async Task<bool> HandBackAsync(long taskInstanceId, int attempt, CancellationToken cancellationToken = default) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var queue = await c.ExecuteScalarAsync<string?>(Command(
                """
                UPDATE task_instances SET state = 'queued', attempt = attempt + 1, try_number = try_number - 1, queued_at = @now, started_at = NULL,
                  heartbeat_at = NULL, worker_id = NULL
                WHERE id = @taskInstanceId AND attempt = @attempt AND state = 'running'
                RETURNING queue
                """, new { taskInstanceId, attempt, now = db.Now() }, tx, cancellationToken));
            if (queue is null)
                return false;
            await NotifyAsync(c, tx, "queued", queue, cancellationToken);
            return true;
        }, cancellationToken);

    // Workers wait for queued work, the scheduler for ended attempts; anything else wakes nobody.
    private Task NotifyAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string toState, string queue, CancellationToken cancellationToken) =>
        toState == "queued" ? db.Dialect.NotifyAsync(c, tx, StoreChannels.Tasks, queue, cancellationToken)
        : EndStates.Contains(toState) ? db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken)
        : Task.CompletedTask;

    public Task<IReadOnlyList<ClaimedTask>> ClaimAsync(string workerId, int max, IReadOnlyCollection<string>? queues = null, CancellationToken cancellationToken = default)
    {
        var (update, parameters) = ClaimStatement(workerId, max, queues);
        if (db.Dialect.Name == "postgres")
        {
            // One statement, committed by itself: the claimed rows with their runs (a worker claims as often as tasks end,
            // so a transaction and a second read per claim were a good part of its round trips).
            var sql = $"""
                WITH claimed AS ({update})
                SELECT c.*, {RunColumnsAs("r", "run_")} FROM claimed c JOIN dag_runs r ON r.id = c.run_id ORDER BY c.priority DESC, c.id
                """;
            return db.WriteOneAsync<IReadOnlyList<ClaimedTask>>(async c =>
                (await QueryAsync(c, Command(sql, parameters, null, cancellationToken))).Select(r => new ClaimedTask(MapTask(r), MapRun(r, "run_"))).ToList(),
                cancellationToken);
        }
        return db.WriteAsync<IReadOnlyList<ClaimedTask>>(async (c, tx) =>
        {
            var tasks = (await QueryAsync(c, Command(update, parameters, tx, cancellationToken))).Select(MapTask).ToList();
            if (tasks.Count == 0)
                return [];
            var runIds = tasks.Select(t => t.RunId).Distinct().ToArray();
            var runs = (await QueryAsync(c, Command($"{SelectRun} WHERE id IN {SqlList.Of(runIds)}", null, tx, cancellationToken))).Select(MapRun).ToDictionary(r => r.Id);
            return tasks.OrderByDescending(t => t.Priority).ThenBy(t => t.Id).Select(t => new ClaimedTask(t, runs[t.RunId])).ToList();
        }, cancellationToken);
    }

    // The claim's UPDATE ... RETURNING and its parameters (worker, limit, now and one per queue name).
    private (string Update, DynamicParameters Parameters) ClaimStatement(string workerId, int max, IReadOnlyCollection<string>? queues)
    {
        // SKIP LOCKED lets concurrent workers on PostgreSQL pass over each other's candidates instead of waiting;
        // SQLite needs nothing: its writers are already one at a time.
        var skipLocked = db.Dialect.Name == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
        var parameters = new DynamicParameters();
        parameters.Add("workerId", workerId);
        parameters.Add("max", max);
        parameters.Add("now", db.Now());
        var queueFilter = "";
        if (queues is { Count: > 0 })
        {
            // Queue names come from DAG files and the command line: parameters, never literals.
            var names = queues.Select((q, i) => (Name: $"@queue{i}", Value: q)).ToList();
            foreach (var (name, value) in names)
                parameters.Add(name, value);
            queueFilter = $" AND queue IN ({string.Join(", ", names.Select(n => n.Name))})";
        }
        var update = $"""
            UPDATE task_instances SET state = 'running', worker_id = @workerId, started_at = @now, heartbeat_at = @now, ended_at = NULL,
              try_number = try_number + 1
            WHERE id IN (SELECT id FROM task_instances WHERE state = 'queued'{queueFilter} ORDER BY priority DESC, id LIMIT @max{skipLocked})
            RETURNING {TaskColumns}
            """;
        return (update, parameters);
    }

    public async Task<bool> HeartbeatAsync(long taskInstanceId, int attempt, CancellationToken cancellationToken = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Command(
            "UPDATE task_instances SET heartbeat_at = @now WHERE id = @taskInstanceId AND attempt = @attempt AND state = 'running'",
            new { taskInstanceId, attempt, now = db.Now() }, tx, cancellationToken)), cancellationToken) > 0;

    public Task<IReadOnlyDictionary<string, int>> BusyByPoolAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyDictionary<string, int>>(async c => (await QueryAsync(c, Command(
            "SELECT pool, count(*) AS busy FROM task_instances WHERE state IN ('queued', 'running') GROUP BY pool", null, null, cancellationToken)))
            .ToDictionary(r => r.String("pool"), r => r.Int("busy")), cancellationToken);

    public Task AppendLogAsync(long taskInstanceId, int attempt, string text, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => AppendLogAsync(c, tx, taskInstanceId, attempt, text, cancellationToken), cancellationToken);

    private static Task AppendLogAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, long taskInstanceId, int attempt, string text, CancellationToken cancellationToken) =>
        c.ExecuteAsync(Command(
            """
            INSERT INTO task_logs (task_instance_id, attempt, text) VALUES (@taskInstanceId, @attempt, @text)
            ON CONFLICT (task_instance_id, attempt) DO UPDATE SET text = task_logs.text || excluded.text
            """, new { taskInstanceId, attempt, text }, tx, cancellationToken));

    public Task<IReadOnlyList<(int Attempt, string Text)>> ReadLogsAsync(long taskInstanceId, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<(int, string)>>(async c => (await QueryAsync(c, Command(
            "SELECT attempt, text FROM task_logs WHERE task_instance_id = @taskInstanceId ORDER BY attempt", new { taskInstanceId }, null, cancellationToken)))
            .Select(r => (r.Int("attempt"), r.String("text"))).ToList(), cancellationToken);

    private static TaskInstanceRecord MapTask(Row row) => new()
    {
        Id = row.Long("id"),
        RunId = row.Long("run_id"),
        TaskId = row.String("task_id"),
        State = row.String("state"),
        Attempt = row.Int("attempt"),
        TryNumber = row.Int("try_number"),
        Pool = row.String("pool"),
        Queue = row.String("queue"),
        Priority = row.Int("priority"),
        QueuedAt = row.TimeOrNull("queued_at"),
        StartedAt = row.TimeOrNull("started_at"),
        EndedAt = row.TimeOrNull("ended_at"),
        WorkerId = row.StringOrNull("worker_id"),
        HeartbeatAt = row.TimeOrNull("heartbeat_at"),
        NextRetryAt = row.TimeOrNull("next_retry_at"),
        ExitCode = row.IntOrNull("exit_code"),
        Error = row.StringOrNull("error"),
    };
}
