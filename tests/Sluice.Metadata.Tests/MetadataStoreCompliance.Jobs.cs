using Sluice.Core.Model;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    private static readonly SyncStats Progress = new()
    {
        RecordsRead = 1_500,
        RecordsCommitted = 1_000,
        BytesRead = 3_000_000,
        CheckpointsCommitted = 2,
        ElapsedSeconds = 1.25,
        Streams = new Dictionary<string, StreamStats> { ["public.orders"] = new(1_000, 2_000_000, 800), ["public.users"] = new(500, 1_000_000, 200) },
    };

    [Fact]
    public async Task Job_is_created_pending_with_no_attempts()
    {
        var connection = await ConnectionAsync();

        var job = await Store.Jobs.CreateAsync(connection.Id, JobKind.Reset);
        var read = await Store.Jobs.GetAsync(job.Id);

        Assert.True(job.Id > 0);
        Assert.Equal((connection.Id, JobKind.Reset, JobStatus.Pending, Now, 0), (job.ConnectionId, job.Kind, job.Status, job.CreatedAt, job.Attempts));
        Assert.NotNull(read);
        Assert.Equal((job.Id, connection.Id, JobKind.Reset, JobStatus.Pending, Now, null, null, null, 0),
            (read.Id, read.ConnectionId, read.Kind, read.Status, read.CreatedAt, read.StartedAt, read.EndedAt, read.Error, read.Attempts));
        Assert.Equal(0, read.Stats.RecordsRead);
        Assert.Empty(read.Stats.Streams);
        Assert.Null(await Store.Jobs.GetAsync(job.Id + 1000));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.CreateAsync(Guid.NewGuid(), JobKind.Sync));
    }

    [Fact]
    public async Task Job_ids_increase_and_are_never_reused()
    {
        var first = await ConnectionAsync("first");
        var a = await Store.Jobs.CreateAsync(first.Id, JobKind.Sync);
        var b = await Store.Jobs.CreateAsync(first.Id, JobKind.Sync);
        await Store.Connections.DeleteAsync(first.Id);
        var second = await ConnectionAsync("second");

        var c = await Store.Jobs.CreateAsync(second.Id, JobKind.Sync);

        Assert.True(a.Id < b.Id && b.Id < c.Id, $"{a.Id} < {b.Id} < {c.Id}");
    }

    [Fact]
    public async Task Parallel_job_creations_all_get_distinct_ids()
    {
        var connection = await ConnectionAsync();

        var jobs = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Store.Jobs.CreateAsync(connection.Id, JobKind.Sync))));
        var fromSecondStore = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => OpenAgain().Jobs.CreateAsync(connection.Id, JobKind.Sync))));

        var ids = jobs.Concat(fromSecondStore).Select(j => j.Id).ToList();
        Assert.Equal(60, ids.Distinct().Count());
        Assert.Equal(60, (await Store.Jobs.ListAsync(connection.Id, 100)).Count);
        Assert.Equal(ids.OrderDescending(), (await Store.Jobs.ListAsync(connection.Id, 100)).Select(j => j.Id));
    }

    [Fact]
    public async Task Attempts_are_numbered_and_mark_the_job_running_from_its_first_start()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        var firstStart = Now;

        var first = await Store.Jobs.StartAttemptAsync(job.Id);
        Time.Advance(TimeSpan.FromMinutes(3));
        await Store.Jobs.FinishAttemptAsync(job.Id, 1, JobStatus.Failed, SyncStats.Empty, "connection reset");
        var second = await Store.Jobs.StartAttemptAsync(job.Id);
        var read = (await Store.Jobs.GetAsync(job.Id))!;

        Assert.Equal((job.Id, 1, JobStatus.Running, firstStart, null), (first.JobId, first.Number, first.Status, first.StartedAt, first.EndedAt));
        Assert.Equal((2, JobStatus.Running, Now), (second.Number, second.Status, second.StartedAt));
        Assert.Equal((JobStatus.Running, firstStart, null, 2), (read.Status, read.StartedAt, read.EndedAt, read.Attempts));
        Assert.Equal(new[] { 1, 2 }, (await Store.Jobs.ListAttemptsAsync(job.Id)).Select(a => a.Number));
    }

    [Fact]
    public async Task Concurrent_attempt_starts_get_distinct_numbers()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => OpenAgain().Jobs.StartAttemptAsync(job.Id))));

        Assert.Equal(Enumerable.Range(1, 10), attempts.Select(a => a.Number).Order());
        Assert.Equal(10, (await Store.Jobs.GetAsync(job.Id))!.Attempts);
    }

    [Fact]
    public async Task Attempt_stats_update_the_attempt_and_the_job()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);

        await Store.Jobs.UpdateAttemptStatsAsync(job.Id, 1, Progress);

        AssertStats(Progress, Assert.Single(await Store.Jobs.ListAttemptsAsync(job.Id)).Stats);
        AssertStats(Progress, (await Store.Jobs.GetAsync(job.Id))!.Stats);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.UpdateAttemptStatsAsync(job.Id, 2, Progress));
    }

    [Fact]
    public async Task Attempt_log_is_appended_in_order()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);
        await Store.Jobs.StartAttemptAsync(job.Id);

        await Store.Jobs.AppendAttemptLogAsync(job.Id, 1, "line 1\n");
        await Store.Jobs.AppendAttemptLogAsync(job.Id, 1, "line 2 ✓\n");
        await Store.Jobs.AppendAttemptLogAsync(job.Id, 2, "other attempt\n");

        var attempts = await Store.Jobs.ListAttemptsAsync(job.Id);
        Assert.Equal("line 1\nline 2 ✓\n", attempts[0].Log);
        Assert.Equal("other attempt\n", attempts[1].Log);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.AppendAttemptLogAsync(job.Id, 3, "nobody"));
    }

    [Fact]
    public async Task Concurrent_log_appends_lose_nothing()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => OpenAgain().Jobs.AppendAttemptLogAsync(job.Id, 1, $"<{i}>"))));

        var log = Assert.Single(await Store.Jobs.ListAttemptsAsync(job.Id)).Log!;
        Assert.All(Enumerable.Range(0, 20), i => Assert.Contains($"<{i}>", log, StringComparison.Ordinal));
        Assert.Equal(20, log.Count(ch => ch == '<'));
    }

    [Fact]
    public async Task Finishing_an_attempt_records_status_stats_error_and_end()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);
        Time.Advance(TimeSpan.FromSeconds(90));

        await Store.Jobs.FinishAttemptAsync(job.Id, 1, JobStatus.Failed, Progress, "destination refused the batch");

        var attempt = Assert.Single(await Store.Jobs.ListAttemptsAsync(job.Id));
        Assert.Equal((JobStatus.Failed, "destination refused the batch", (DateTimeOffset?)Now), (attempt.Status, attempt.Error, attempt.EndedAt));
        AssertStats(Progress, attempt.Stats);
        var read = (await Store.Jobs.GetAsync(job.Id))!;
        Assert.Equal((JobStatus.Running, null, null), (read.Status, read.EndedAt, read.Error));
        AssertStats(Progress, read.Stats);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.FinishAttemptAsync(job.Id, 9, JobStatus.Succeeded, Progress, null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Jobs.FinishAttemptAsync(job.Id, 1, JobStatus.Running, Progress, null));
    }

    [Fact]
    public async Task Finishing_a_job_records_status_error_and_end_and_stops_new_attempts()
    {
        var job = await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);
        await Store.Jobs.FinishAttemptAsync(job.Id, 1, JobStatus.Succeeded, Progress, null);
        Time.Advance(TimeSpan.FromSeconds(5));

        await Store.Jobs.FinishAsync(job.Id, JobStatus.Succeeded, null);
        var cancelled = await Store.Jobs.CreateAsync(job.ConnectionId, JobKind.Sync);
        await Store.Jobs.FinishAsync(cancelled.Id, JobStatus.Cancelled, "cancelled by ada");

        var read = (await Store.Jobs.GetAsync(job.Id))!;
        Assert.Equal((JobStatus.Succeeded, (DateTimeOffset?)Now, null, 1), (read.Status, read.EndedAt, read.Error, read.Attempts));
        AssertStats(Progress, read.Stats);
        var readCancelled = (await Store.Jobs.GetAsync(cancelled.Id))!;
        Assert.Equal((JobStatus.Cancelled, "cancelled by ada", (DateTimeOffset?)Now, null, 0), (readCancelled.Status, readCancelled.Error, readCancelled.EndedAt, readCancelled.StartedAt, readCancelled.Attempts));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Jobs.StartAttemptAsync(job.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.StartAttemptAsync(job.Id + 1000));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Jobs.FinishAsync(job.Id + 1000, JobStatus.Failed, "x"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Jobs.FinishAsync(job.Id, JobStatus.Pending, null));
        Assert.Equal(1, (await Store.Jobs.GetAsync(job.Id))!.Attempts);
    }

    [Fact]
    public async Task Jobs_list_newest_first_with_limit_and_paging()
    {
        var a = await ConnectionAsync("a");
        var b = await ConnectionAsync("b");
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
            ids.Add((await Store.Jobs.CreateAsync(i % 2 == 0 ? a.Id : b.Id, JobKind.Sync)).Id);
        ids.Reverse();

        var page1 = await Store.Jobs.ListAsync(null, 3);
        var page2 = await Store.Jobs.ListAsync(null, 3, page1[^1].Id);
        var page3 = await Store.Jobs.ListAsync(null, 3, page2[^1].Id);

        Assert.Equal(ids, page1.Concat(page2).Concat(page3).Select(j => j.Id));
        Assert.Single(page3);
        Assert.Empty(await Store.Jobs.ListAsync(null, 3, page3[0].Id));
        Assert.Equal(new[] { ids[0], ids[2], ids[4], ids[6] }, (await Store.Jobs.ListAsync(a.Id, 10)).Select(j => j.Id));
        Assert.Equal(new[] { ids[3], ids[5] }, (await Store.Jobs.ListAsync(b.Id, 10, ids[1])).Select(j => j.Id));
        Assert.All(await Store.Jobs.ListAsync(b.Id, 10), j => Assert.Equal(b.Id, j.ConnectionId));
        Assert.Empty(await Store.Jobs.ListAsync(Guid.NewGuid(), 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Jobs.ListAsync(null, 0));
    }

    [Fact]
    public async Task Times_round_trip_in_utc_to_the_microsecond()
    {
        Time.SetUtcNow(new DateTimeOffset(2031, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1_234_567));
        var connection = await ConnectionAsync();
        var job = await Store.Jobs.CreateAsync(connection.Id, JobKind.Sync);

        var read = (await Store.Jobs.GetAsync(job.Id))!;
        var readConnection = (await Store.Connections.GetAsync(connection.Id))!;

        var expected = new DateTimeOffset(2031, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(expected, job.CreatedAt);
        Assert.Equal(expected, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(expected, readConnection.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, readConnection.UpdatedAt.Offset);
    }

    private static void AssertStats(SyncStats expected, SyncStats actual)
    {
        Assert.Equal(
            (expected.RecordsRead, expected.RecordsCommitted, expected.BytesRead, expected.CheckpointsCommitted, expected.ElapsedSeconds),
            (actual.RecordsRead, actual.RecordsCommitted, actual.BytesRead, actual.CheckpointsCommitted, actual.ElapsedSeconds));
        Assert.Equal(expected.Streams.OrderBy(s => s.Key), actual.Streams.OrderBy(s => s.Key));
    }
}
