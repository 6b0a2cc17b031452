using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>The process registry; queues and labels are stored as comma-separated text (<c>a,b</c>, <c>k=v,k2=v2</c>).</summary>
internal sealed class WorkerStore(Database db) : IWorkerStore
{
    public Task RegisterAsync(WorkerRecord worker, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(Command(
            """
            INSERT INTO workers (id, kind, host, pid, slots, queues, labels, started_at, last_heartbeat, state)
            VALUES (@Id, @Kind, @Host, @Pid, @Slots, @queues, @labels, @now, @now, 'active')
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, host = excluded.host, pid = excluded.pid, slots = excluded.slots,
              queues = excluded.queues, labels = excluded.labels, started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat, state = 'active'
            """,
            new
            {
                worker.Id, worker.Kind, worker.Host, worker.Pid, worker.Slots, queues = string.Join(',', worker.Queues),
                labels = string.Join(',', worker.Labels.Select(l => $"{l.Key}={l.Value}")), now = db.Now(),
            }, tx, cancellationToken)), cancellationToken);

    public async Task<bool> HeartbeatAsync(string id, string state, CancellationToken cancellationToken = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Command(
            "UPDATE workers SET last_heartbeat = @now, state = @state WHERE id = @id", new { id, state, now = db.Now() }, tx, cancellationToken)), cancellationToken) > 0;

    public Task<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<WorkerRecord>>(async c => (await QueryAsync(c, Command(
            """
            SELECT w.id, w.kind, w.host, w.pid, w.slots, w.queues, w.labels, w.started_at, w.last_heartbeat, w.state,
              (SELECT count(*) FROM task_instances t WHERE t.worker_id = w.id AND t.state = 'running') AS running,
              (SELECT count(*) FROM jobs j WHERE j.worker_id = w.id AND j.status = 'running' AND j.queued) AS running_jobs
            FROM workers w ORDER BY w.kind, w.id
            """, null, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    private static WorkerRecord Map(Row row) => new()
    {
        Id = row.String("id"),
        Kind = row.String("kind"),
        Host = row.String("host"),
        Pid = row.Int("pid"),
        Slots = row.Int("slots"),
        Queues = row.String("queues").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Labels = row.String("labels").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
        StartedAt = row.Time("started_at"),
        LastHeartbeat = row.Time("last_heartbeat"),
        State = row.String("state"),
        RunningTasks = row.Int("running"),
        RunningSyncJobs = row.Int("running_jobs"),
    };
}
