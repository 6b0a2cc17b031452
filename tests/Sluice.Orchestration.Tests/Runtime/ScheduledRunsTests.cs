using Microsoft.Extensions.Time.Testing;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>
/// The real scheduler on a fake clock creates exactly the runs a schedule calls for: across daylight saving changes,
/// on leap days and at the end of months.
/// </summary>
public sealed class ScheduledRunsTests
{
    [Theory]
    // Spring forward in Berlin: 02:30 does not exist on 2024-03-31, the boundary moves to 03:00 CEST (01:00Z).
    [InlineData("30 2 * * *", "Europe/Berlin", "2024-03-29", "2024-04-02T12:00:00Z",
        "2024-03-29T01:30:00Z 2024-03-30T01:30:00Z 2024-03-31T01:00:00Z 2024-04-01T00:30:00Z")]
    // Spring forward in New York: 02:30 does not exist on 2024-03-10, the boundary moves to 03:00 EDT (07:00Z).
    [InlineData("30 2 * * *", "America/New_York", "2024-03-09", "2024-03-11T12:00:00Z",
        "2024-03-09T07:30:00Z 2024-03-10T07:00:00Z")]
    // Fall back in New York: the hour 01:00-02:00 comes twice, and an hourly schedule runs it twice.
    [InlineData("0 * * * *", "America/New_York", "2024-11-03T00:00:00", "2024-11-03T08:00:00Z",
        "2024-11-03T04:00:00Z 2024-11-03T05:00:00Z 2024-11-03T06:00:00Z 2024-11-03T07:00:00Z")]
    // Fall back in Berlin: 02:00-03:00 twice.
    [InlineData("0 * * * *", "Europe/Berlin", "2024-10-27T01:00:00", "2024-10-27T03:00:00Z",
        "2024-10-26T23:00:00Z 2024-10-27T00:00:00Z 2024-10-27T01:00:00Z 2024-10-27T02:00:00Z")]
    // A daily run at a time in the repeated hour runs once that day (at its first occurrence), so that day's interval is 25 hours.
    [InlineData("30 1 * * *", "America/New_York", "2024-11-02", "2024-11-04T12:00:00Z",
        "2024-11-02T05:30:00Z 2024-11-03T05:30:00Z")]
    // Leap day: the only complete interval between two 29ths of February spans four years.
    [InlineData("0 0 29 2 *", "UTC", "2023-01-01", "2028-03-01T00:00:00Z", "2024-02-29T00:00:00Z")]
    // Last day of the month (L), including February 29th.
    [InlineData("0 0 L * *", "UTC", "2024-01-01", "2024-05-01T00:00:00Z",
        "2024-01-31T00:00:00Z 2024-02-29T00:00:00Z 2024-03-31T00:00:00Z")]
    // Day 31 skips the months without one.
    [InlineData("0 0 31 * *", "UTC", "2024-01-01", "2024-08-01T00:00:00Z",
        "2024-01-31T00:00:00Z 2024-03-31T00:00:00Z 2024-05-31T00:00:00Z")]
    public async Task The_scheduler_creates_one_run_per_complete_interval(string cron, string timezone, string startDate, string now, string expected)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2020-01-01T00:00:00Z"));
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync($"""
            name: scheduled
            schedule: "{cron}"
            timezone: {timezone}
            start_date: "{startDate}"
            catchup: true
            tasks:
              - id: work
                type: command
                command: "true"
            """);

        time.SetUtcNow(DateTimeOffset.Parse(now));
        await h.Scheduler.TickAsync(default);
        await h.Scheduler.TickAsync(default);

        var runs = (await h.Store.Runs.ListRunsAsync("scheduled", null, 100)).OrderBy(r => r.LogicalDate).ToList();
        Assert.Equal(expected.Split(' '), runs.Select(r => r.LogicalDate.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ")));
        // Consecutive runs tile time: each interval starts where the previous one ended.
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.Equal(pair.First.IntervalEnd, pair.Second.IntervalStart));
        Assert.All(runs, r => Assert.Equal(r.LogicalDate, r.IntervalStart));
    }
}
