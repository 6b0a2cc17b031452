using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Tests.Scheduling;

public sealed class TimeScheduleTests
{
    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private static DataInterval Day(string start, string end) => new(Utc(start + "T00:00:00"), Utc(end + "T00:00:00"));

    private static readonly CronSchedule Daily = CronSchedule.Parse("@daily", TimeZoneInfo.Utc);

    [Fact]
    public void Catchup_on_runs_every_missed_interval_since_the_start_date()
    {
        var window = new RunWindow(Utc("2024-01-01T00:00:00"), null, Catchup: true);
        var due = Daily.DueRuns(null, window, Utc("2024-01-05T12:00:00"));
        Assert.Equal(
            [Day("2024-01-01", "2024-01-02"), Day("2024-01-02", "2024-01-03"), Day("2024-01-03", "2024-01-04"), Day("2024-01-04", "2024-01-05")],
            due);
    }

    [Fact]
    public void Catchup_on_continues_after_the_last_run()
    {
        var window = new RunWindow(Utc("2024-01-01T00:00:00"), null, Catchup: true);
        var due = Daily.DueRuns(Day("2024-01-02", "2024-01-03"), window, Utc("2024-01-05T12:00:00"));
        Assert.Equal([Day("2024-01-03", "2024-01-04"), Day("2024-01-04", "2024-01-05")], due);
    }

    [Fact]
    public void Catchup_off_runs_only_the_latest_complete_interval()
    {
        var window = new RunWindow(Utc("2024-01-01T00:00:00"), null, Catchup: false);
        Assert.Equal([Day("2024-01-04", "2024-01-05")], Daily.DueRuns(null, window, Utc("2024-01-05T12:00:00")));
        Assert.Equal([Day("2024-01-04", "2024-01-05")], Daily.DueRuns(Day("2024-01-01", "2024-01-02"), window, Utc("2024-01-05T12:00:00")));
        Assert.Empty(Daily.DueRuns(Day("2024-01-04", "2024-01-05"), window, Utc("2024-01-05T12:00:00")));
    }

    [Fact]
    public void Next_run_is_reported_even_before_it_is_due()
    {
        var window = new RunWindow(Utc("2024-01-01T00:00:00"), null, Catchup: true);
        var next = Daily.NextRun(Day("2024-01-04", "2024-01-05"), window, Utc("2024-01-05T12:00:00"));
        Assert.Equal(Day("2024-01-05", "2024-01-06"), next);
        Assert.False(next!.Value.IsDue(Utc("2024-01-05T12:00:00")));
    }

    [Fact]
    public void Start_date_in_the_future_waits_for_the_first_full_interval()
    {
        var window = new RunWindow(Utc("2024-01-10T06:00:00"), null, Catchup: false);
        Assert.Equal(Day("2024-01-11", "2024-01-12"), Daily.NextRun(null, window, Utc("2024-01-05T00:00:00")));
    }

    [Fact]
    public void End_date_stops_runs_that_would_start_after_it()
    {
        var window = new RunWindow(Utc("2024-01-01T00:00:00"), Utc("2024-01-03T00:00:00"), Catchup: true);
        var due = Daily.DueRuns(null, window, Utc("2024-02-01T00:00:00"));
        Assert.Equal(3, due.Count);
        Assert.Equal(Day("2024-01-03", "2024-01-04"), due[^1]);
    }

    [Fact]
    public void Backfill_over_a_date_range_yields_exactly_the_contained_intervals()
    {
        var intervals = Daily.IntervalsBetween(Utc("2024-02-27T00:00:00"), Utc("2024-03-02T00:00:00")).ToList();
        Assert.Equal(
            [Day("2024-02-27", "2024-02-28"), Day("2024-02-28", "2024-02-29"), Day("2024-02-29", "2024-03-01"), Day("2024-03-01", "2024-03-02")],
            intervals);
    }

    [Fact]
    public void Backfill_aligns_an_unaligned_start_forward()
    {
        var hourly = CronSchedule.Parse("0 * * * *", TimeZoneInfo.Utc);
        var intervals = hourly.IntervalsBetween(Utc("2024-01-01T00:30:00"), Utc("2024-01-01T03:15:00")).ToList();
        Assert.Equal([Utc("2024-01-01T01:00:00"), Utc("2024-01-01T02:00:00")], intervals.Select(i => i.Start));
    }

    [Fact]
    public void Hourly_backfill_across_fall_back_has_no_gap_or_overlap()
    {
        var hourly = CronSchedule.Parse("0 * * * *", TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var intervals = hourly.IntervalsBetween(Utc("2024-11-03T04:00:00"), Utc("2024-11-03T08:00:00")).ToList();
        Assert.Equal(4, intervals.Count);
        Assert.All(intervals, i => Assert.Equal(TimeSpan.FromHours(1), i.End - i.Start));
        Assert.All(intervals.Zip(intervals.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
    }

    [Fact]
    public void Interval_schedule_aligns_to_the_epoch_by_default()
    {
        var every = new IntervalSchedule(TimeSpan.FromMinutes(15), DateTimeOffset.UnixEpoch);
        Assert.Equal(Utc("2024-01-01T10:15:00"), every.NextBoundary(Utc("2024-01-01T10:07:00"), inclusive: false));
        Assert.Equal(Utc("2024-01-01T10:15:00"), every.NextBoundary(Utc("2024-01-01T10:15:00"), inclusive: true));
        Assert.Equal(Utc("2024-01-01T10:30:00"), every.NextBoundary(Utc("2024-01-01T10:15:00"), inclusive: false));
        Assert.Equal(
            new DataInterval(Utc("2024-01-01T10:00:00"), Utc("2024-01-01T10:15:00")),
            every.NextDueAfter(Utc("2024-01-01T10:07:00")));
        Assert.Equal(
            new DataInterval(Utc("2024-01-01T09:45:00"), Utc("2024-01-01T10:00:00")),
            every.LatestCompleteInterval(Utc("2024-01-01T10:07:00")));
    }

    [Fact]
    public void Interval_schedule_aligns_to_its_anchor()
    {
        var every = new IntervalSchedule(TimeSpan.FromMinutes(15), Utc("2024-01-01T10:05:00"));
        Assert.Equal(Utc("2024-01-01T10:20:00"), every.NextBoundary(Utc("2024-01-01T10:07:00"), inclusive: false));
        Assert.Equal(Utc("2024-01-01T09:50:00"), every.PreviousBoundary(Utc("2024-01-01T10:04:00"), inclusive: true));
        var window = new RunWindow(Utc("2024-01-01T10:05:00"), null, Catchup: true);
        Assert.Equal(3, every.DueRuns(null, window, Utc("2024-01-01T10:50:00")).Count);
    }

    [Fact]
    public void Interval_schedule_ignores_daylight_saving_time()
    {
        var every = new IntervalSchedule(TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch);
        var intervals = every.IntervalsBetween(Utc("2024-03-31T00:00:00"), Utc("2024-03-31T04:00:00")).ToList();
        Assert.Equal(4, intervals.Count);
    }

    [Fact]
    public void Event_schedule_modes()
    {
        var all = new EventSchedule(["orders"], ["load_dim"], EventMode.All);
        Assert.False(all.IsSatisfiedBy(["orders"], []));
        Assert.True(all.IsSatisfiedBy(["orders", "other"], ["load_dim"]));
        var any = all with { Mode = EventMode.Any };
        Assert.True(any.IsSatisfiedBy([], ["load_dim"]));
        Assert.False(any.IsSatisfiedBy(["other"], []));
    }
}
