using Sluice.Core.Model;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task Queued_job_is_claimed_once_put_back_when_its_worker_goes_silent_and_the_lost_claim_writes_nothing()
    {
        var connection = await ConnectionAsync();
        var inProcess = await Store.Jobs.CreateAsync(connection.Id, JobKind.Sync);
        var job = await Store.Jobs.EnqueueAsync(connection.Id);
        Assert.Equal(JobStatus.Pending, job.Status);

        // Only queued jobs are claimed, each by one worker.
        var first = Assert.Single(await Store.Jobs.ClaimAsync("w1", 5));
        Assert.Equal(job.Id, first.JobId);
        Assert.Empty(await OpenAgain().Jobs.ClaimAsync("w2", 5));
        Assert.Equal(JobStatus.Pending, (await Store.Jobs.GetAsync(inProcess.Id))!.Status);
        Assert.Equal(JobStatus.Running, (await Store.Jobs.GetAsync(job.Id))!.Status);
        Assert.Equal(1, (await Store.Jobs.StartClaimedAttemptAsync(first)).Number);
        await Store.Jobs.UpdateAttemptStatsAsync(job.Id, 1, Progress);
        Assert.Equal(JobClaimState.Held, await Store.Jobs.HeartbeatAsync(first));

        // Silent for longer than allowed: the attempt fails (its stats kept), the job waits again.
        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(await Store.Jobs.RequeueSilentAsync(TimeSpan.FromSeconds(30), null));
        Assert.Equal(new[] { job.Id }, await Store.Jobs.RequeueSilentAsync(TimeSpan.FromSeconds(10), null));
        var lostAttempt = Assert.Single(await Store.Jobs.ListAttemptsAsync(job.Id));
        Assert.Equal(JobStatus.Failed, lostAttempt.Status);
        Assert.Contains("worker w1 went silent", lostAttempt.Error);
        Assert.Equal(Progress.RecordsRead, lostAttempt.Stats.RecordsRead);
        Assert.Equal(JobStatus.Pending, (await Store.Jobs.GetAsync(job.Id))!.Status);

        // The lost worker is refused everywhere; its late report leaves the failed attempt as it is.
        Assert.Equal(JobClaimState.Lost, await Store.Jobs.HeartbeatAsync(first));
        await Assert.ThrowsAsync<JobClaimLostException>(() => Store.Jobs.StartClaimedAttemptAsync(first));
        await Store.Jobs.FinishAttemptAsync(job.Id, 1, JobStatus.Cancelled, SyncStats.Empty, "cancelled");
        Assert.Equal(JobStatus.Failed, (await Store.Jobs.ListAttemptsAsync(job.Id))[0].Status);

        var second = Assert.Single(await OpenAgain().Jobs.ClaimAsync("w2", 5));
        Assert.True(second.Number > first.Number);
        Assert.False(await Store.Jobs.FinishClaimedAsync(first, JobStatus.Failed, "late"));
        Assert.Equal(2, (await Store.Jobs.StartClaimedAttemptAsync(second)).Number);
        await Store.Jobs.FinishAttemptAsync(job.Id, 2, JobStatus.Succeeded, Progress, null);
        Assert.True(await Store.Jobs.FinishClaimedAsync(second, JobStatus.Succeeded, null));
        var done = (await Store.Jobs.GetAsync(job.Id))!;
        Assert.Equal((JobStatus.Succeeded, 2), (done.Status, done.Attempts));
        Assert.Empty(await Store.Jobs.RequeueSilentAsync(TimeSpan.Zero, null));
    }

    [Fact]
    public async Task Queued_job_can_be_handed_back_and_cancelled()
    {
        var connection = await ConnectionAsync();
        var job = await Store.Jobs.EnqueueAsync(connection.Id);
        var claim = Assert.Single(await Store.Jobs.ClaimAsync("w1", 1));
        await Store.Jobs.StartClaimedAttemptAsync(claim);
        Assert.True(await Store.Jobs.HandBackAsync(claim, "worker w1 stopped"));
        Assert.False(await Store.Jobs.HandBackAsync(claim, "twice"));
        Assert.Equal("worker w1 stopped", (await Store.Jobs.ListAttemptsAsync(job.Id))[0].Error);

        var again = Assert.Single(await Store.Jobs.ClaimAsync("w2", 1));
        Assert.True(await Store.Jobs.RequestCancelAsync(job.Id));
        Assert.Equal(JobClaimState.CancelRequested, await Store.Jobs.HeartbeatAsync(again));

        var waiting = await Store.Jobs.EnqueueAsync(connection.Id);
        Assert.True(await Store.Jobs.RequestCancelAsync(waiting.Id));
        Assert.Equal(JobStatus.Cancelled, (await Store.Jobs.GetAsync(waiting.Id))!.Status);
        Assert.Empty(await Store.Jobs.ClaimAsync("w3", 5));
        Assert.False(await Store.Jobs.RequestCancelAsync(waiting.Id));
    }

    [Fact]
    public async Task A_job_held_by_a_dag_task_is_heartbeated_and_fails_when_its_worker_goes_silent()
    {
        var connection = await ConnectionAsync();
        var claim = await Store.Jobs.CreateHeldAsync(connection.Id, "w1");
        var job = (await Store.Jobs.GetAsync(claim.JobId))!;
        Assert.Equal(JobStatus.Running, job.Status);
        // Not queued: no worker claims it.
        Assert.Empty(await OpenAgain().Jobs.ClaimAsync("w2", 5));
        Assert.Equal(1, (await Store.Jobs.StartClaimedAttemptAsync(claim)).Number);
        Assert.Equal(JobClaimState.Held, await Store.Jobs.HeartbeatAsync(claim));

        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(new[] { claim.JobId }, await Store.Jobs.RequeueSilentAsync(TimeSpan.FromSeconds(10), null));
        var failed = (await Store.Jobs.GetAsync(claim.JobId))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.NotNull(failed.EndedAt);
        Assert.Contains("worker w1 went silent", failed.Error);
        Assert.Contains("fails with its task's attempt", failed.Error);
        Assert.Equal(JobStatus.Failed, Assert.Single(await Store.Jobs.ListAttemptsAsync(claim.JobId)).Status);

        // Ended, not put back: nobody claims it, and the lost worker can write nothing more.
        Assert.Empty(await Store.Jobs.ClaimAsync("w2", 5));
        Assert.Equal(JobClaimState.Lost, await Store.Jobs.HeartbeatAsync(claim));
        Assert.False(await Store.Jobs.FinishClaimedAsync(claim, JobStatus.Succeeded, null));
        await Assert.ThrowsAsync<JobClaimLostException>(() => Store.Jobs.StartClaimedAttemptAsync(claim));
        Assert.Empty(await Store.Jobs.RequeueSilentAsync(TimeSpan.Zero, null));
    }
}
