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
        return await db.WriteAsync<IReadOnlySet<long>>(async (c, tx) =>
        {
            var now = db.Now();
            var applied = db.Dialect.Name == "postgres"
                ? await ReportOnPostgresAsync(c, tx, sorted, now, cancellationToken)
                : await ReportOneByOneAsync(c, tx, sorted, now, cancellationToken);
            if (applied.Count > 0)
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken);
            return applied;
        }, cancellationToken);
    }

    // Two statements for the whole batch; each row is still checked on its own state and attempt.
    private static async Task<HashSet<long>> ReportOnPostgresAsync(
        System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, List<TaskStateChange> reports, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var applied = (await c.QueryAsync<long>(Command(
            """
            UPDATE task_instances t SET state = u.to_state, ended_at = @now, next_retry_at = u.next_retry_at, exit_code = u.exit_code, error = u.error
            FROM unnest(@ids, @attempts, @states, @retryAts, @exitCodes, @errors) AS u(id, attempt, to_state, next_retry_at, exit_code, error)
            WHERE t.id = u.id AND t.state = 'running' AND t.attempt = u.attempt
            RETURNING t.id
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
            }, tx, cancellationToken))).ToHashSet();
        var logs = reports.Where(r => !string.IsNullOrEmpty(r.AppendLog)).ToList();
        if (logs.Count > 0)
            await c.ExecuteAsync(Command(
                """
                INSERT INTO task_logs (task_instance_id, attempt, text)
                SELECT * FROM unnest(@ids, @attempts, @texts)
                ON CONFLICT (task_instance_id, attempt) DO UPDATE SET text = task_logs.text || excluded.text
                """,
                new
                {
                    ids = logs.Select(r => r.TaskInstanceId).ToArray(),
                    attempts = logs.Select(r => r.ExpectedAttempt).ToArray(),
                    texts = logs.Select(r => r.AppendLog!).ToArray(),
                }, tx, cancellationToken));
        return applied;
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
