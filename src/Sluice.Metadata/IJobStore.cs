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
}
