using System.Data.Common;
using Dapper;
using Sluice.Core.Model;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>
/// The job queue of a distributed install. A claim is the pair (worker_id, claim): every claim, hand-back or
/// put-back adds one to <c>claim</c>, and every write of a worker names the number it holds, so a worker that lost
/// the job (it went silent and the scheduler put the job back) can neither start an attempt nor end the job.
/// </summary>
internal sealed partial class JobStore
{
    private static readonly string Pending = EnumText.Of(JobStatus.Pending);
    private static readonly string Running = EnumText.Of(JobStatus.Running);

    public async Task<Job> EnqueueAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        var now = db.Now();
        try
        {
            var id = await db.WriteAsync(async (c, tx) =>
            {
                var id = await c.ExecuteScalarAsync<long>(Command(
                    "INSERT INTO jobs (connection_id, kind, status, created_at, stats, attempts, queued) VALUES (@connectionId, @kind, @status, @now, @stats, 0, @queued) RETURNING id",
                    new { connectionId, kind = EnumText.Of(JobKind.Sync), status = Pending, now, stats = db.Dialect.Json(StatsJson.Write(SyncStats.Empty)), queued = true },
                    tx, cancellationToken));
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Jobs, "", cancellationToken);
                return id;
            }, cancellationToken);
            return new Job { Id = id, ConnectionId = connectionId, Kind = JobKind.Sync, Status = JobStatus.Pending, CreatedAt = now };
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("connection", connectionId.ToString());
        }
    }

    public async Task<JobClaim> CreateHeldAsync(Guid connectionId, string workerId, CancellationToken cancellationToken = default)
    {
        var now = db.Now();
        try
        {
            // Not queued, so no worker claims it; running under claim 1 with a heartbeat, so a silent worker loses it.
            var id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(Command(
                """
                INSERT INTO jobs (connection_id, kind, status, created_at, started_at, stats, attempts, queued, worker_id, claim, heartbeat_at)
                VALUES (@connectionId, @kind, @running, @now, @now, @stats, 0, @queued, @workerId, 1, @now) RETURNING id
                """,
                new { connectionId, kind = EnumText.Of(JobKind.Sync), running = Running, now, stats = db.Dialect.Json(StatsJson.Write(SyncStats.Empty)), queued = false, workerId },
                tx, cancellationToken)), cancellationToken);
            return new JobClaim(id, 1);
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw new NotFoundException("connection", connectionId.ToString());
        }
    }

    public Task<IReadOnlyList<JobClaim>> ClaimAsync(string workerId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        // SKIP LOCKED: workers claiming at once pass over each other's candidates instead of queueing on them.
        var skipLocked = db.Dialect.Name == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
        return db.WriteAsync<IReadOnlyList<JobClaim>>(async (c, tx) =>
            (await QueryAsync(c, Command(
                $"""
                UPDATE jobs SET status = @running, worker_id = @workerId, claim = claim + 1, heartbeat_at = @now, started_at = COALESCE(started_at, @now)
                WHERE id IN (SELECT id FROM jobs WHERE queued AND status = @pending AND NOT cancel_requested ORDER BY id LIMIT @max{skipLocked})
                RETURNING id, claim
                """, new { workerId, max, now = db.Now(), running = Running, pending = Pending }, tx, cancellationToken)))
            .Select(r => new JobClaim(r.Long("id"), r.Int("claim"))).OrderBy(j => j.JobId).ToList(), cancellationToken);
    }

    public Task<JobClaimState> HeartbeatAsync(JobClaim claim, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var row = await QuerySingleAsync(c, Command(
                "UPDATE jobs SET heartbeat_at = @now WHERE id = @id AND claim = @number AND status = @running RETURNING cancel_requested",
                new { id = claim.JobId, number = claim.Number, now = db.Now(), running = Running }, tx, cancellationToken));
            return row is not { } held ? JobClaimState.Lost : held.Bool("cancel_requested") ? JobClaimState.CancelRequested : JobClaimState.Held;
        }, cancellationToken);

    public Task<JobAttempt> StartClaimedAttemptAsync(JobClaim claim, CancellationToken cancellationToken = default) =>
        StartAttemptAsync(claim.JobId, claim, cancellationToken);

    public async Task<bool> FinishClaimedAsync(JobClaim claim, JobStatus status, string? error, CancellationToken cancellationToken = default)
    {
        RequireFinal(status);
        return await db.WriteAsync((c, tx) => c.ExecuteAsync(Command(
            "UPDATE jobs SET status = @status, error = @error, ended_at = @now, heartbeat_at = NULL WHERE id = @id AND claim = @number AND status = @running",
            new { id = claim.JobId, number = claim.Number, status = EnumText.Of(status), error, now = db.Now(), running = Running }, tx, cancellationToken)), cancellationToken) > 0;
    }

    public async Task<bool> HandBackAsync(JobClaim claim, string reason, CancellationToken cancellationToken = default) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var attempts = await c.ExecuteScalarAsync<int?>(Command(
                """
                UPDATE jobs SET status = @pending, worker_id = NULL, heartbeat_at = NULL, claim = claim + 1
                WHERE id = @id AND claim = @number AND status = @running RETURNING attempts
                """, new { id = claim.JobId, number = claim.Number, pending = Pending, running = Running }, tx, cancellationToken));
            if (attempts is not { } last)
                return false;
            await FailRunningAttemptAsync(c, tx, claim.JobId, last, reason, cancellationToken);
            await db.Dialect.NotifyAsync(c, tx, StoreChannels.Jobs, "", cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<long>> RequeueSilentAsync(TimeSpan silentFor, long? fencingToken, CancellationToken cancellationToken = default)
    {
        var skipLocked = db.Dialect.Name == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
        return RequeueSilentAsync(silentFor, fencingToken, skipLocked, cancellationToken);
    }

    private async Task<IReadOnlyList<long>> RequeueSilentAsync(TimeSpan silentFor, long? fencingToken, string skipLocked, CancellationToken cancellationToken)
    {
        // The scheduler asks every second and the answer is nearly always none: a plain read first, so that takes no
        // write transaction (on SQLite, no write lock).
        var cutoff = db.Now() - silentFor;
        if (await db.ReadAsync(c => c.ExecuteScalarAsync<long>(Command(
                "SELECT count(*) FROM jobs WHERE worker_id IS NOT NULL AND status = @running AND heartbeat_at < @cutoff",
                new { running = Running, cutoff }, null, cancellationToken)), cancellationToken) == 0)
            return [];
        return await db.WriteAsync<IReadOnlyList<long>>(async (c, tx) =>
        {
            var now = db.Now();
            var silent = await QueryAsync(c, Command(
                $"SELECT id, claim, attempts, worker_id, heartbeat_at, queued FROM jobs WHERE worker_id IS NOT NULL AND status = @running AND heartbeat_at < @cutoff{skipLocked}",
                new { running = Running, cutoff = now - silentFor }, tx, cancellationToken));
            if (silent.Count == 0)
                return [];
            if (fencingToken is { } token && await c.ExecuteScalarAsync<long>(Command($"SELECT token FROM scheduler_lease WHERE id = 1{db.Dialect.ShareLock}", null, tx, cancellationToken)) != token)
                throw new LeaseLostException(token);
            var requeued = new List<long>();
            foreach (var row in silent)
            {
                var id = row.Long("id");
                var reason = $"worker {row.String("worker_id")} went silent (no heartbeat for {(now - row.Time("heartbeat_at")).TotalSeconds:0.0} s); " +
                    (row.Bool("queued") ? "the job is put back for another worker" : "the job fails with its task's attempt, whose retry makes a new job");
                // A job the API queued goes back to the queue; one a DAG's sync task runs in its own attempt fails, and the task's retry makes a new job.
                var updated = await c.ExecuteAsync(Command(
                    """
                    UPDATE jobs SET status = CASE WHEN queued THEN @pending ELSE @failed END, worker_id = NULL, heartbeat_at = NULL, claim = claim + 1,
                      ended_at = CASE WHEN queued THEN NULL ELSE @now END, error = CASE WHEN queued THEN error ELSE @reason END
                    WHERE id = @id AND claim = @claim AND status = @running
                    """, new { id, claim = row.Int("claim"), pending = Pending, failed = EnumText.Of(JobStatus.Failed), running = Running, now, reason }, tx, cancellationToken));
                if (updated == 0)
                    continue;
                await FailRunningAttemptAsync(c, tx, id, row.Int("attempts"), reason, cancellationToken);
                requeued.Add(id);
            }
            if (requeued.Count > 0)
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Jobs, "", cancellationToken);
            return requeued;
        }, cancellationToken);
    }

    public Task<bool> RequestCancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            // A job still waiting has nobody to tell: it ends here. A claimed one is stopped by its worker at its next heartbeat.
            if (await c.ExecuteAsync(Command("UPDATE jobs SET status = @cancelled, error = 'cancelled', ended_at = @now WHERE id = @jobId AND status = @pending",
                    new { jobId, cancelled = EnumText.Of(JobStatus.Cancelled), now = db.Now(), pending = Pending }, tx, cancellationToken)) > 0)
                return true;
            return await c.ExecuteAsync(Command("UPDATE jobs SET cancel_requested = @yes WHERE id = @jobId AND status = @running",
                new { jobId, yes = true, running = Running }, tx, cancellationToken)) > 0;
        }, cancellationToken);

    private Task FailRunningAttemptAsync(DbConnection c, DbTransaction tx, long jobId, int number, string reason, CancellationToken cancellationToken) =>
        c.ExecuteAsync(Command(
            "UPDATE job_attempts SET status = @failed, error = @reason, ended_at = @now WHERE job_id = @jobId AND number = @number AND status = @running",
            new { jobId, number, reason, failed = EnumText.Of(JobStatus.Failed), running = Running, now = db.Now() }, tx, cancellationToken));
}
