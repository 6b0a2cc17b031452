using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>
/// Set-based task writes: the scheduler moves thousands of tasks a pass and a worker heartbeats all its attempts at
/// once, so each is a few statements over id lists rather than one round trip per task.
/// </summary>
internal sealed partial class RunStore
{
    // Rows per transaction: long enough lists to amortise round trips, short enough transactions that the lease
    // row's share lock (the fence) is never held for long.
    private const int BatchRows = 1000;

    public async Task<IReadOnlySet<long>> TransitionManyAsync(IReadOnlyList<TaskStateChange> changes, long? fencingToken = null, CancellationToken cancellationToken = default)
    {
        if (changes.FirstOrDefault(c => c.AppendLog is not null) is { } withLog)
            throw new ArgumentException($"task instance {withLog.TaskInstanceId}: a batch transition cannot append logs; use TransitionAsync for a report with its log", nameof(changes));
        var changed = new HashSet<long>();
        foreach (var chunk in changes.Chunk(BatchRows))
        {
            // Rows that change the same way share one statement; the attempt and state checks stay per row through the WHERE.
            var groups = chunk.GroupBy(c => c with { TaskInstanceId = 0, FencingToken = null }).ToList();
            changed.UnionWith(await db.WriteAsync(async (c, tx) =>
            {
                await FenceAsync(c, tx, fencingToken, cancellationToken);
                var done = new List<long>();
                var queues = new HashSet<string>(StringComparer.Ordinal);
                var ended = false;
                foreach (var group in groups)
                {
                    var change = group.Key;
                    var sql = $"""
                        UPDATE task_instances SET state = @ToState, attempt = @NewAttempt, {SetFor(change.ToState)}
                        WHERE id IN {SqlList.Of(group.Select(g => g.TaskInstanceId))} AND state = @FromState AND attempt = @ExpectedAttempt{(change.HeartbeatBefore is null ? "" : " AND heartbeat_at < @HeartbeatBefore")}
                        RETURNING id, queue
                        """;
                    var rows = await QueryAsync(c, Command(sql, new
                    {
                        change.ToState, change.NewAttempt, change.FromState, change.ExpectedAttempt,
                        NextRetryAt = change.NextRetryAt?.ToUniversalTime(), change.ExitCode, change.Error, now = db.Now(),
                        HeartbeatBefore = change.HeartbeatBefore?.ToUniversalTime(),
                    }, tx, cancellationToken));
                    foreach (var row in rows)
                    {
                        done.Add(row.Long("id"));
                        if (change.ToState == "queued")
                            queues.Add(row.String("queue"));
                    }

                    ended |= rows.Count > 0 && EndStates.Contains(change.ToState);
                }

                foreach (var queue in queues)
                    await db.Dialect.NotifyAsync(c, tx, StoreChannels.Tasks, queue, cancellationToken);
                if (ended)
                    await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, "", cancellationToken);
                return done;
            }, cancellationToken));
        }

        return changed;
    }

    public async Task<IReadOnlySet<long>> HeartbeatManyAsync(IReadOnlyCollection<(long TaskInstanceId, int Attempt)> attempts, CancellationToken cancellationToken = default)
    {
        if (attempts.Count == 0)
            return new HashSet<long>();
        // A worker holds a handful of attempts: one literal condition each (ids and attempt numbers are never user text).
        var match = string.Join(" OR ", attempts.Select(a => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(id = {a.TaskInstanceId} AND attempt = {a.Attempt})")));
        var alive = await db.WriteAsync(async (c, tx) => (await c.QueryAsync<long>(Command(
            $"UPDATE task_instances SET heartbeat_at = @now WHERE state = 'running' AND ({match}) RETURNING id",
            new { now = db.Now() }, tx, cancellationToken))).ToHashSet(), cancellationToken);
        return alive;
    }
}
