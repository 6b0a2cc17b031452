using Sluice.Core.Model;

namespace Sluice.Metadata;

/// <summary>Jobs (requested syncs) and their attempts, with stats and logs.</summary>
public interface IJobStore
{
    /// <summary>Creates a Pending job. The job id doubles as the sync id written into destination rows.</summary>
    Task<Job> CreateAsync(Guid connectionId, JobKind kind, CancellationToken cancellationToken = default);
    Task<Job?> GetAsync(long id, CancellationToken cancellationToken = default);
    /// <summary>Newest first. <paramref name="connectionId"/> null lists all; <paramref name="beforeId"/> pages backwards.</summary>
    Task<IReadOnlyList<Job>> ListAsync(Guid? connectionId, int limit, long? beforeId = null, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="ListAsync(Guid?, int, long?, CancellationToken)"/>, only jobs of connections in <paramref name="workspaceId"/>.</summary>
    Task<IReadOnlyList<Job>> ListInWorkspaceAsync(Guid workspaceId, Guid? connectionId, int limit, long? beforeId, CancellationToken cancellationToken = default);
    /// <summary>The workspace of the job's connection; null when the job does not exist.</summary>
    Task<Guid?> WorkspaceOfAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Starts attempt n+1 and marks the job Running; returns the attempt.</summary>
    Task<JobAttempt> StartAttemptAsync(long jobId, CancellationToken cancellationToken = default);
    /// <summary>Saves live stats of a running attempt (progress), and the job's stats with it.</summary>
    Task UpdateAttemptStatsAsync(long jobId, int attempt, SyncStats stats, CancellationToken cancellationToken = default);
    Task AppendAttemptLogAsync(long jobId, int attempt, string text, CancellationToken cancellationToken = default);
    /// <summary>Ends an attempt with Succeeded, Failed or Cancelled.</summary>
    Task FinishAttemptAsync(long jobId, int attempt, JobStatus status, SyncStats stats, string? error, CancellationToken cancellationToken = default);
    /// <summary>Ends the job itself (after its last attempt).</summary>
    Task FinishAsync(long jobId, JobStatus status, string? error, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<JobAttempt>> ListAttemptsAsync(long jobId, CancellationToken cancellationToken = default);

    // The queue of a distributed install (JobStore.Queue.cs): jobs asked for through the API wait here for a worker.

    /// <summary>Creates a Pending job that a worker claims (<see cref="ClaimAsync"/>), and wakes the workers.</summary>
    Task<Job> EnqueueAsync(Guid connectionId, CancellationToken cancellationToken = default);
    /// <summary>
    /// Creates a job that <paramref name="workerId"/> holds from the start: a DAG's sync task runs it inside its own
    /// attempt. It is heartbeated like a claimed job, and when the worker goes silent <see cref="RequeueSilentAsync"/>
    /// fails it (the task's retry makes a new job), so it never stays running after its worker died.
    /// </summary>
    Task<JobClaim> CreateHeldAsync(Guid connectionId, string workerId, CancellationToken cancellationToken = default);
    /// <summary>Claims up to <paramref name="max"/> waiting jobs, oldest first, passing over rows other workers are claiming.</summary>
    Task<IReadOnlyList<JobClaim>> ClaimAsync(string workerId, int max, CancellationToken cancellationToken = default);
    /// <summary>Keeps a claim alive (the job's heartbeat), and says whether it is still held or should be cancelled.</summary>
    Task<JobClaimState> HeartbeatAsync(JobClaim claim, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="StartAttemptAsync"/>, refused (<see cref="JobClaimLostException"/>) once the claim is no longer the job's.</summary>
    Task<JobAttempt> StartClaimedAttemptAsync(JobClaim claim, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="FinishAsync"/>, only while the claim is the job's; false (nothing written) otherwise.</summary>
    Task<bool> FinishClaimedAsync(JobClaim claim, JobStatus status, string? error, CancellationToken cancellationToken = default);
    /// <summary>A draining worker gives the job back: its running attempt fails with <paramref name="reason"/>, the job waits for another worker.</summary>
    Task<bool> HandBackAsync(JobClaim claim, string reason, CancellationToken cancellationToken = default);
    /// <summary>
    /// Jobs whose worker has not sent a heartbeat for <paramref name="silentFor"/>: the running attempt fails, and the
    /// job waits for another worker (its next attempt resumes from the last committed state). Refused
    /// (<see cref="LeaseLostException"/>) when <paramref name="fencingToken"/> is no longer the lease's. Returns the jobs put back.
    /// </summary>
    Task<IReadOnlyList<long>> RequeueSilentAsync(TimeSpan silentFor, long? fencingToken, CancellationToken cancellationToken = default);
    /// <summary>Cancels a waiting queued job at once, or flags a claimed one for its worker; false when the job already ended.</summary>
    Task<bool> RequestCancelAsync(long jobId, CancellationToken cancellationToken = default);
}
