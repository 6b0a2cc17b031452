namespace Sluice.Metadata;

/// <summary>
/// A worker's hold on a queued sync job. <see cref="Number"/> grows with every claim of the job, so a worker whose
/// claim was taken away (it went silent, or handed the job back) can no longer start attempts or end the job.
/// </summary>
public sealed record JobClaim(long JobId, int Number);

/// <summary>What a claim's heartbeat learned.</summary>
public enum JobClaimState
{
    /// <summary>The claim is still this worker's: carry on.</summary>
    Held,

    /// <summary>The job was taken away (declared dead and put back, or ended elsewhere): stop without writing.</summary>
    Lost,

    /// <summary>Someone asked to cancel the job: stop it and record it as cancelled.</summary>
    CancelRequested,
}
