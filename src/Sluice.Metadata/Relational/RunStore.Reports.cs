using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>
/// Workers' reports of ended attempts, many in one transaction: a busy worker ends attempts faster than one commit
/// each (plus a notification each) can keep up with.
/// </summary>
internal sealed partial class RunStore
{
    public async Task<IReadOnlySet<long>> ReportManyAsync(IReadOnlyList<TaskStateChange> reports, CancellationToken cancellationToken = default)
    {
        if (reports.Count == 0)
            return new HashSet<long>();
        foreach (var report in reports)
        {
            if (report.FromState != "running" || report.NewAttempt != report.ExpectedAttempt || !EndStates.Contains(report.ToState) || report.ToState == "removed")
                throw new ArgumentException(
                    $"task instance {report.TaskInstanceId}: a report ends a running attempt at its own attempt number ({report.FromState} at {report.ExpectedAttempt} to " +
                    $"{report.ToState} at {report.NewAttempt} is not one); use TransitionManyAsync for other changes", nameof(reports));
        }
        if (reports.DistinctBy(r => r.TaskInstanceId).Count() != reports.Count)
            throw new ArgumentException("a task instance is reported twice in one batch; report each attempt once", nameof(reports));

        // Ids in ascending order, so that concurrent batches lock their rows in the same order.
        var sorted = reports.OrderBy(r => r.TaskInstanceId).ToList();
        if (db.Dialect.Name == "postgres")
            return await db.WriteOneAsync<IReadOnlySet<long>>(c => ReportOnPostgresAsync(c, sorted, db.Now(), cancellationToken), cancellationToken);
        return await db.WriteAsync<IReadOnlySet<long>>(async (c, tx) =>
        {
            var applied = await ReportOneByOneAsync(c, tx, sorted, db.Now(), cancellationToken);
            if (applied.Count > 0)
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken);
            return applied;
        }, cancellationToken);
    }

    // One statement for the whole batch, atomic by itself (no BEGIN/COMMIT round trips): the conditional update (each
    // row still checked on its own state and attempt), the append of each attempt's last log lines (applied or not:
    // a refused attempt's lines still belong to its attempt), and the scheduler's notification when something ended.
    // The notification's row comes back with a null id.
    private static async Task<IReadOnlySet<long>> ReportOnPostgresAsync(
        System.Data.Common.DbConnection c, List<TaskStateChange> reports, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var logs = reports.Where(r => !string.IsNullOrEmpty(r.AppendLog)).ToList();
        var rows = await c.QueryAsync<long?>(Command(
            """
            WITH updated AS (
              UPDATE task_instances t SET state = u.to_state, ended_at = @now, next_retry_at = u.next_retry_at, exit_code = u.exit_code, error = u.error
              FROM unnest(@ids, @attempts, @states, @retryAts, @exitCodes, @errors) AS u(id, attempt, to_state, next_retry_at, exit_code, error)
              WHERE t.id = u.id AND t.state = 'running' AND t.attempt = u.attempt
              RETURNING t.id
            ), logged AS (
              INSERT INTO task_logs (task_instance_id, attempt, text)
              SELECT * FROM unnest(@logIds, @logAttempts, @logTexts)
              ON CONFLICT (task_instance_id, attempt) DO UPDATE SET text = task_logs.text || excluded.text
            ), notified AS (
              SELECT pg_notify(@channel, '') WHERE EXISTS (SELECT 1 FROM updated)
            )
            SELECT id FROM updated
            UNION ALL
            SELECT NULL FROM notified
            """,
            new
            {
                now,
                ids = reports.Select(r => r.TaskInstanceId).ToArray(),
                attempts = reports.Select(r => r.ExpectedAttempt).ToArray(),
                states = reports.Select(r => r.ToState).ToArray(),
                retryAts = reports.Select(r => r.NextRetryAt?.UtcDateTime).ToArray(),
                exitCodes = reports.Select(r => r.ExitCode).ToArray(),
                errors = reports.Select(r => r.Error).ToArray(),
                logIds = logs.Select(r => r.TaskInstanceId).ToArray(),
                logAttempts = logs.Select(r => r.ExpectedAttempt).ToArray(),
                logTexts = logs.Select(r => r.AppendLog!).ToArray(),
                channel = StoreChannels.Scheduler,
            }, null, cancellationToken));
        return rows.OfType<long>().ToHashSet();
    }

    // SQLite's writer is in-process: a statement per row in one transaction costs no round trips.
    private async Task<HashSet<long>> ReportOneByOneAsync(
        System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, List<TaskStateChange> reports, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var applied = new HashSet<long>();
        foreach (var report in reports)
        {
            var changed = await c.ExecuteAsync(Command(
                """
                UPDATE task_instances SET state = @ToState, ended_at = @now, next_retry_at = @NextRetryAt, exit_code = @ExitCode, error = @Error
                WHERE id = @TaskInstanceId AND state = 'running' AND attempt = @ExpectedAttempt
                """,
                new { report.ToState, now, NextRetryAt = report.NextRetryAt?.ToUniversalTime(), report.ExitCode, report.Error, report.TaskInstanceId, report.ExpectedAttempt },
                tx, cancellationToken));
            if (changed > 0)
                applied.Add(report.TaskInstanceId);
            if (!string.IsNullOrEmpty(report.AppendLog))
                await AppendLogAsync(c, tx, report.TaskInstanceId, report.ExpectedAttempt, report.AppendLog, cancellationToken);
        }

        return applied;
    }
}
