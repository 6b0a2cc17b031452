using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>DAG runs, their task instances, and the task logs; the queue workers claim from.</summary>
public interface IRunStore
{
    /// <summary>
    /// Creates a run with its task instances in one transaction; null when the DAG already has a run for that logical
    /// date. With <paramref name="fencingToken"/> it is refused (<see cref="LeaseLostException"/>) unless the lease still has that token.
    /// </summary>
    Task<DagRunRecord?> CreateRunAsync(DagRunRecord run, IReadOnlyList<NewTaskInstance> tasks, long? fencingToken = null, CancellationToken cancellationToken = default);
    Task<DagRunRecord?> GetRunAsync(long id, CancellationToken cancellationToken = default);
    /// <summary>Newest logical date first; <paramref name="dag"/> and <paramref name="states"/> filter when given.</summary>
    Task<IReadOnlyList<DagRunRecord>> ListRunsAsync(string? dag, IReadOnlyCollection<string>? states, int limit, CancellationToken cancellationToken = default);
    /// <summary>One page of runs, newest (highest id) first, below <paramref name="beforeId"/>; filters as <see cref="ListRunsAsync(string?, IReadOnlyCollection{string}?, int, CancellationToken)"/>.</summary>
    Task<IReadOnlyList<DagRunRecord>> ListRunsPageAsync(string? dag, IReadOnlyCollection<string>? states, int limit, long? beforeId, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="ListRunsPageAsync"/>, only the runs of the DAGs of <paramref name="workspaceId"/>.</summary>
    Task<IReadOnlyList<DagRunRecord>> ListWorkspaceRunsPageAsync(Guid workspaceId, string? dag, IReadOnlyCollection<string>? states, int limit, long? beforeId,
        CancellationToken cancellationToken = default);
    /// <summary>The run with the latest logical date among <paramref name="runTypes"/>.</summary>
    Task<DagRunRecord?> LatestRunAsync(string dag, IReadOnlyCollection<string> runTypes, CancellationToken cancellationToken = default);
    /// <summary>Runs of any DAG that reached <paramref name="state"/> after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<DagRunRecord>> EndedSinceAsync(string state, DateTimeOffset since, CancellationToken cancellationToken = default);
    /// <summary>
    /// Conditional: only when the run is still in <paramref name="fromState"/>. With <paramref name="fencingToken"/>
    /// it is refused (<see cref="LeaseLostException"/>) unless the lease still has that token.
    /// </summary>
    Task<bool> SetRunStateAsync(long id, string fromState, string toState, long? fencingToken = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TaskInstanceRecord>> ListTasksAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default);
    Task<TaskInstanceRecord?> GetTaskAsync(long id, CancellationToken cancellationToken = default);
    /// <summary>The task instances of the runs in <paramref name="states"/> (the scheduler reads only those it may have to decide).</summary>
    Task<IReadOnlyList<TaskInstanceRecord>> ListTasksInStatesAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string> states, CancellationToken cancellationToken = default);
    /// <summary>The runs among <paramref name="runIds"/> with at least one task instance in <paramref name="states"/> (an index probe per run, not a count).</summary>
    Task<IReadOnlySet<long>> RunsWithTasksInStatesAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string> states, CancellationToken cancellationToken = default);
    /// <summary>
    /// How many task instances each run has in each state (states without tasks are left out); only
    /// <paramref name="states"/> when given.
    /// </summary>
    Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, int>>> CountTasksByStateAsync(IReadOnlyCollection<long> runIds, IReadOnlyCollection<string>? states = null,
        CancellationToken cancellationToken = default);
    /// <summary>Applies <paramref name="change"/> when the row still matches it; false when someone changed it first.</summary>
    Task<bool> TransitionAsync(TaskStateChange change, CancellationToken cancellationToken = default);
    /// <summary>
    /// Applies many changes at once, each only where its row still matches it (as <see cref="TransitionAsync"/>), in
    /// set-based statements of up to a thousand rows, one transaction per thousand. With <paramref name="fencingToken"/>
    /// every transaction is refused (<see cref="LeaseLostException"/>) unless the lease still has that token; the
    /// changes of transactions committed before stay. Returns the ids of the task instances that changed.
    /// </summary>
    Task<IReadOnlySet<long>> TransitionManyAsync(IReadOnlyList<TaskStateChange> changes, long? fencingToken = null, CancellationToken cancellationToken = default);
    /// <summary>
    /// Reports many ended attempts at once (a worker's batch), in one transaction: each moves its task from running to
    /// its end state only where the row is still running at the report's attempt (a lost worker's report changes
    /// nothing), and appends its <see cref="TaskStateChange.AppendLog"/> to that attempt's log either way. Every change
    /// must end a running attempt at its own attempt number. Returns the ids of the task instances that changed.
    /// </summary>
    Task<IReadOnlySet<long>> ReportManyAsync(IReadOnlyList<TaskStateChange> reports, CancellationToken cancellationToken = default);
    /// <summary>
    /// Moves up to <paramref name="max"/> queued tasks of <paramref name="queues"/> (every queue when null) to running
    /// for <paramref name="workerId"/>, highest priority first (PostgreSQL: FOR UPDATE SKIP LOCKED, so workers never
    /// block each other; SQLite: the single in-process writer).
    /// </summary>
    Task<IReadOnlyList<ClaimedTask>> ClaimAsync(string workerId, int max, IReadOnlyCollection<string>? queues = null, CancellationToken cancellationToken = default);
    /// <summary>
    /// <see cref="ReportManyAsync"/> of <paramref name="reports"/> (may be empty) and <see cref="ClaimAsync"/> of up to
    /// <paramref name="max"/> (may be 0) together; on PostgreSQL in one statement, so a busy worker pays one round trip
    /// per cycle instead of two. Each report is as conditional as in <see cref="ReportManyAsync"/>.
    /// </summary>
    Task<ReportedAndClaimed> ReportAndClaimAsync(IReadOnlyList<TaskStateChange> reports, string workerId, int max, IReadOnlyCollection<string>? queues = null,
        CancellationToken cancellationToken = default);
    /// <summary>Records that the attempt is alive; false when the task is no longer running at that attempt.</summary>
    Task<bool> HeartbeatAsync(long taskInstanceId, int attempt, CancellationToken cancellationToken = default);
    /// <summary>
    /// Heartbeats many attempts in one statement (a worker's whole set); returns the ids of those still running at
    /// their attempt. Any other was taken away (declared dead, cleared, marked).
    /// </summary>
    Task<IReadOnlySet<long>> HeartbeatManyAsync(IReadOnlyCollection<(long TaskInstanceId, int Attempt)> attempts, CancellationToken cancellationToken = default);
    /// <summary>
    /// Hands a running attempt back to the queue (a draining worker that ran out of time): queued again with a new
    /// attempt number and the try not counted. False when the task is no longer running at that attempt.
    /// </summary>
    Task<bool> HandBackAsync(long taskInstanceId, int attempt, CancellationToken cancellationToken = default);
    /// <summary>Queued and running tasks per pool, across all DAGs.</summary>
    Task<IReadOnlyDictionary<string, int>> BusyByPoolAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends to an attempt's log; readable while the attempt still runs.</summary>
    Task AppendLogAsync(long taskInstanceId, int attempt, string text, CancellationToken cancellationToken = default);
    /// <summary>Every attempt's log of the task, by attempt number.</summary>
    Task<IReadOnlyList<(int Attempt, string Text)>> ReadLogsAsync(long taskInstanceId, CancellationToken cancellationToken = default);
}
