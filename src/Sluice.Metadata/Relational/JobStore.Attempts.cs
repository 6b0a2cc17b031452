using System.Globalization;
using Dapper;
using Sluice.Core.Model;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed partial class JobStore
{
    private const string SelectAttempt = "SELECT job_id, number, status, started_at, ended_at, stats, error, log FROM job_attempts";

    /// <summary>Refused on a job that has already ended: a late worker must not revive it.</summary>
    public Task<JobAttempt> StartAttemptAsync(long jobId, CancellationToken cancellationToken = default) => StartAttemptAsync(jobId, null, cancellationToken);

    private Task<JobAttempt> StartAttemptAsync(long jobId, JobClaim? claim, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, transaction) =>
        {
            var now = db.Now();
            // Counting inside the UPDATE makes the row lock (or SQLite's single writer) hand out each number once.
            var number = await c.ExecuteScalarAsync<int?>(Command(
                $"""
                UPDATE jobs SET attempts = attempts + 1, status = @running, started_at = COALESCE(started_at, @now)
                WHERE id = @jobId AND status IN (@pending, @running){(claim is null ? "" : " AND claim = @claimNumber")}
                RETURNING attempts
                """,
                new { jobId, now, pending = EnumText.Of(JobStatus.Pending), running = EnumText.Of(JobStatus.Running), claimNumber = claim?.Number ?? 0 },
                transaction, cancellationToken));
            if (number is null)
            {
                var status = await c.ExecuteScalarAsync<string?>(Command("SELECT status FROM jobs WHERE id = @jobId", new { jobId }, transaction, cancellationToken));
                throw status is null ? new NotFoundException("job", jobId.ToString(CultureInfo.InvariantCulture))
                    : claim is not null ? new JobClaimLostException(claim)
                    : new InvalidOperationException($"job {jobId} has already ended ({status}); create a new job instead");
            }
            await c.ExecuteAsync(Command(
                "INSERT INTO job_attempts (job_id, number, status, started_at, stats) VALUES (@jobId, @number, @running, @now, @stats)",
                new { jobId, number, running = EnumText.Of(JobStatus.Running), now, stats = db.Dialect.Json(StatsJson.Write(SyncStats.Empty)) },
                transaction, cancellationToken));
            return new JobAttempt { JobId = jobId, Number = number.Value, Status = JobStatus.Running, StartedAt = now };
        }, cancellationToken);

    public Task UpdateAttemptStatsAsync(long jobId, int attempt, SyncStats stats, CancellationToken cancellationToken = default) =>
        UpdateAttemptAsync(jobId, attempt, "stats = @stats", new { jobId, attempt, stats = db.Dialect.Json(StatsJson.Write(stats)) }, copyStats: true, cancellationToken);

    // Concatenation happens in the database, so concurrent appenders never lose each other's lines.
    public Task AppendAttemptLogAsync(long jobId, int attempt, string text, CancellationToken cancellationToken = default) =>
        UpdateAttemptAsync(jobId, attempt, "log = COALESCE(log, '') || @text", new { jobId, attempt, text }, copyStats: false, cancellationToken);

    public Task FinishAttemptAsync(long jobId, int attempt, JobStatus status, SyncStats stats, string? error, CancellationToken cancellationToken = default)
    {
        RequireFinal(status);
        // Only a running attempt ends here: one already failed because its worker went silent keeps that verdict when the
        // lost worker reports late.
        return UpdateAttemptAsync(jobId, attempt, "status = @status, stats = @stats, error = @error, ended_at = @now",
            new { jobId, attempt, status = EnumText.Of(status), stats = db.Dialect.Json(StatsJson.Write(stats)), error, now = db.Now(), running = EnumText.Of(JobStatus.Running) },
            copyStats: true, cancellationToken, onlyRunning: true);
    }

    public Task<IReadOnlyList<JobAttempt>> ListAttemptsAsync(long jobId, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<JobAttempt>>(async c =>
            (await QueryAsync(c, Command($"{SelectAttempt} WHERE job_id = @jobId ORDER BY number", new { jobId }, null, cancellationToken))).Select(MapAttempt).ToList(),
            cancellationToken);

    /// <summary>Updates one attempt; with <paramref name="copyStats"/> the job shows the stats of its latest attempt.</summary>
    private Task UpdateAttemptAsync(long jobId, int attempt, string set, object parameters, bool copyStats, CancellationToken cancellationToken, bool onlyRunning = false) =>
        db.WriteAsync(async (c, transaction) =>
        {
            var updated = await c.ExecuteAsync(Command($"UPDATE job_attempts SET {set} WHERE job_id = @jobId AND number = @attempt{(onlyRunning ? " AND status = @running" : "")}",
                parameters, transaction, cancellationToken));
            if (updated == 0)
            {
                if (onlyRunning && await c.ExecuteScalarAsync<int>(Command("SELECT count(*) FROM job_attempts WHERE job_id = @jobId AND number = @attempt",
                        new { jobId, attempt }, transaction, cancellationToken)) > 0)
                    return;
                throw new NotFoundException("job attempt", $"{jobId}/{attempt}");
            }
            if (copyStats)
            {
                await c.ExecuteAsync(Command(
                    "UPDATE jobs SET stats = (SELECT stats FROM job_attempts WHERE job_id = @jobId AND number = @attempt) WHERE id = @jobId AND attempts = @attempt",
                    new { jobId, attempt }, transaction, cancellationToken));
            }
        }, cancellationToken);

    private static JobAttempt MapAttempt(Row row) => new()
    {
        JobId = row.Long("job_id"),
        Number = row.Int("number"),
        Status = row.Enum<JobStatus>("status"),
        StartedAt = row.Time("started_at"),
        EndedAt = row.TimeOrNull("ended_at"),
        Stats = StatsJson.Read(row.String("stats")),
        Error = row.StringOrNull("error"),
        Log = row.StringOrNull("log"),
    };
}
