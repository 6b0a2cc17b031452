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
        var sorted = Sorted(reports);
        if (db.Dialect.Name == "postgres")
            return await db.WriteOneAsync<IReadOnlySet<long>>(async c =>
            {
                var rows = await c.QueryAsync<long?>(Command(
                    $"""
                    WITH {ReportCtes}
                    SELECT id FROM updated
                    UNION ALL
                    SELECT NULL FROM notified
                    """, ReportParameters(sorted, new DynamicParameters(new { now = db.Now() })), null, cancellationToken));
                return rows.OfType<long>().ToHashSet();
            }, cancellationToken);
        return await db.WriteAsync<IReadOnlySet<long>>(async (c, tx) =>
        {
            var applied = await ReportOneByOneAsync(c, tx, sorted, db.Now(), cancellationToken);
            if (applied.Count > 0)
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken);
            return applied;
        }, cancellationToken);
    }

    public async Task<ReportedAndClaimed> ReportAndClaimAsync(IReadOnlyList<TaskStateChange> reports, string workerId, int max, IReadOnlyCollection<string>? queues = null,
        CancellationToken cancellationToken = default)
    {
        if (reports.Count == 0)
            return new ReportedAndClaimed(new HashSet<long>(), max > 0 ? await ClaimAsync(workerId, max, queues, cancellationToken) : []);
        if (max <= 0 || db.Dialect.Name != "postgres")
        {
            // SQLite: its writer is in-process, two calls cost no round trips.
            var reported = await ReportManyAsync(reports, cancellationToken);
            return new ReportedAndClaimed(reported, max > 0 ? await ClaimAsync(workerId, max, queues, cancellationToken) : []);
        }

        // One statement: the report's CTEs, then the claim. They touch different rows (running ones at their attempt,
        // queued ones), so sharing a snapshot changes nothing for either. The reported ids ride on every row, and the
        // outer join returns one row when nothing was claimed. `notified` is selected so that the planner keeps it (an
        // unused output of a subquery is dropped, and with it the notification).
        var (update, parameters) = ClaimStatement(workerId, max, queues);
        var sql = $"""
            WITH {ReportCtes}, claimed AS ({update})
            SELECT c.*, {RunColumnsAs("r", "run_")}, rep.reported_ids, rep.notified
            FROM (SELECT array_agg(id) AS reported_ids, (SELECT count(*) FROM notified) AS notified FROM updated) rep
            LEFT JOIN (claimed c JOIN dag_runs r ON r.id = c.run_id) ON true
            ORDER BY c.priority DESC, c.id
            """;
        ReportParameters(Sorted(reports), parameters);
        return await db.WriteOneAsync(async c =>
        {
            var rows = (await QueryAsync(c, Command(sql, parameters, null, cancellationToken))).ToList();
            var applied = rows.Count == 0 ? new HashSet<long>() : rows[0].Longs("reported_ids").ToHashSet();
            var claimed = rows.Where(r => !r.IsNull("id")).Select(r => new ClaimedTask(MapTask(r), MapRun(r, "run_"))).ToList();
            return new ReportedAndClaimed(applied, claimed);
        }, cancellationToken);
    }

    // Checked, then in ascending id order, so that concurrent batches lock their rows in the same order.
    private static List<TaskStateChange> Sorted(IReadOnlyList<TaskStateChange> reports)
    {
        foreach (var report in reports)
        {
            if (report.FromState != "running" || report.NewAttempt != report.ExpectedAttempt || !EndStates.Contains(report.ToState) || report.ToState == "removed")
                throw new ArgumentException(
                    $"task instance {report.TaskInstanceId}: a report ends a running attempt at its own attempt number ({report.FromState} at {report.ExpectedAttempt} to " +
                    $"{report.ToState} at {report.NewAttempt} is not one); use TransitionManyAsync for other changes", nameof(reports));
        }
        if (reports.DistinctBy(r => r.TaskInstanceId).Count() != reports.Count)
            throw new ArgumentException("a task instance is reported twice in one batch; report each attempt once", nameof(reports));
        return reports.OrderBy(r => r.TaskInstanceId).ToList();
    }

    // The batch in CTEs, atomic with the rest of its statement (no BEGIN/COMMIT round trips): the conditional update
    // (each row still checked on its own state and attempt), the append of each attempt's last log lines (applied or
    // not: a refused attempt's lines still belong to its attempt), and the scheduler's notification when something
    // ended. `notified` is a plain SELECT: the statement must read it, or PostgreSQL never runs it.
    private const string ReportCtes =
        """
        updated AS (
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
        """;

    // Adds the batch's arrays to parameters that already hold @now.
    private static DynamicParameters ReportParameters(List<TaskStateChange> reports, DynamicParameters parameters)
    {
        var logs = reports.Where(r => !string.IsNullOrEmpty(r.AppendLog)).ToList();
        parameters.AddDynamicParams(new
        {
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
        });
        return parameters;
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
