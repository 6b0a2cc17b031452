using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> Next(CronSchedule cron, DateTimeOffset from, int count)
    {
        var result = new List<DateTimeOffset>();
        var t = from;
        for (var i = 0; i < count && cron.NextBoundary(t, inclusive: false) is { } next; i++)
        {
            result.Add(next);
            t = next;
        }

        return result;
    }

    [Fact]
    public void Spring_forward_in_Berlin_moves_the_skipped_0230_to_0300_local()
    {
        var cron = CronSchedule.Parse("30 2 * * *", Berlin);
        // 2024-03-31: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
        Assert.Equal(
            [Utc("2024-03-30T01:30:00"), Utc("2024-03-31T01:00:00"), Utc("2024-04-01T00:30:00")],
            Next(cron, Utc("2024-03-29T12:00:00"), 3));
    }

    [Fact]
    public void Spring_forward_in_New_York_moves_the_skipped_0230_to_0300_local()
    {
        var cron = CronSchedule.Parse("30 2 * * *", NewYork);
        Assert.Equal(
            [Utc("2024-03-09T07:30:00"), Utc("2024-03-10T07:00:00"), Utc("2024-03-11T06:30:00")],
            Next(cron, Utc("2024-03-09T00:00:00"), 3));
    }

    [Fact]
    public void Fall_back_in_New_York_runs_the_repeated_0100_hour_twice_for_an_hourly_schedule()
    {
        var cron = CronSchedule.Parse("0 * * * *", NewYork);
        // 2024-11-03: 02:00 EDT falls back to 01:00 EST, so local 01:00 happens at 05:00Z and again at 06:00Z.
        Assert.Equal(
            [Utc("2024-11-03T04:00:00"), Utc("2024-11-03T05:00:00"), Utc("2024-11-03T06:00:00"), Utc("2024-11-03T07:00:00")],
            Next(cron, Utc("2024-11-03T03:30:00"), 4));
    }

    [Fact]
    public void Fall_back_in_Berlin_runs_the_repeated_0200_hour_twice_for_an_hourly_schedule()
    {
        var cron = CronSchedule.Parse("0 * * * *", Berlin);
        // 2024-10-27: 03:00 CEST falls back to 02:00 CET.
        Assert.Equal(
            [Utc("2024-10-26T23:00:00"), Utc("2024-10-27T00:00:00"), Utc("2024-10-27T01:00:00"), Utc("2024-10-27T02:00:00")],
            Next(cron, Utc("2024-10-26T22:30:00"), 4));
    }

    [Fact]
    public void Fall_back_runs_a_fixed_time_in_the_repeated_hour_once()
    {
        var cron = CronSchedule.Parse("30 1 * * *", NewYork);
        Assert.Equal(
            [Utc("2024-11-03T05:30:00"), Utc("2024-11-04T06:30:00")],
            Next(cron, Utc("2024-11-03T00:00:00"), 2));
    }

    [Fact]
    public void The_interval_after_a_shifted_spring_forward_boundary_is_not_skipped()
    {
        var cron = CronSchedule.Parse("30 2 * * *", Berlin);
        // 03:00 CEST on 2024-03-31 stands in for the missing 02:30: it is a boundary, and the next interval starts there.
        Assert.Equal(Utc("2024-03-31T01:00:00"), cron.BoundaryAtOrAfter(Utc("2024-03-31T01:00:00")));
        var window = new RunWindow(Utc("2024-03-29T00:00:00"), null, Catchup: true);
        var after = cron.NextRun(new DataInterval(Utc("2024-03-30T01:30:00"), Utc("2024-03-31T01:00:00")), window, Utc("2024-04-05T00:00:00"));
        Assert.Equal(new DataInterval(Utc("2024-03-31T01:00:00"), Utc("2024-04-01T00:30:00")), after);
        Assert.Equal(
            [Utc("2024-03-31T01:00:00"), Utc("2024-04-01T00:30:00")],
            cron.IntervalsBetween(Utc("2024-03-31T01:00:00"), Utc("2024-04-02T00:30:00")).Select(i => i.Start));
    }

    [Fact]
    public void Daily_data_interval_on_the_spring_forward_day_is_23_hours()
    {
        var cron = CronSchedule.Parse("@daily", Berlin);
        var interval = cron.IntervalStartingAtOrAfter(Utc("2024-03-30T23:00:00"))!.Value;
        Assert.Equal(Utc("2024-03-30T23:00:00"), interval.LogicalDate);
        Assert.Equal(Utc("2024-03-31T22:00:00"), interval.DueAt);
        Assert.Equal(TimeSpan.FromHours(23), interval.End - interval.Start);
    }

    [Fact]
    public void Leap_day_schedule_fires_only_on_february_29th_and_skips_2100()
    {
        var cron = CronSchedule.Parse("0 0 29 2 *", TimeZoneInfo.Utc);
        Assert.Equal([Utc("2024-02-29T00:00:00"), Utc("2028-02-29T00:00:00")], Next(cron, Utc("2023-03-01T00:00:00"), 2));
        Assert.Equal(Utc("2104-02-29T00:00:00"), cron.NextBoundary(Utc("2097-01-01T00:00:00"), inclusive: false));
        Assert.Equal(Utc("2096-02-29T00:00:00"), cron.PreviousBoundary(Utc("2103-12-31T00:00:00"), inclusive: false));
    }

    [Fact]
    public void Last_day_of_month_with_L()
    {
        var cron = CronSchedule.Parse("0 0 L * *", TimeZoneInfo.Utc);
        Assert.Equal(
            [Utc("2024-01-31T00:00:00"), Utc("2024-02-29T00:00:00"), Utc("2024-03-31T00:00:00"), Utc("2024-04-30T00:00:00")],
            Next(cron, Utc("2024-01-15T00:00:00"), 4));
    }

    [Fact]
    public void Day_31_skips_short_months()
    {
        var cron = CronSchedule.Parse("0 0 31 * *", TimeZoneInfo.Utc);
        Assert.Equal(
            [Utc("2024-01-31T00:00:00"), Utc("2024-03-31T00:00:00"), Utc("2024-05-31T00:00:00")],
            Next(cron, Utc("2024-01-15T00:00:00"), 3));
    }

    [Fact]
    public void Six_fields_include_seconds()
    {
        var cron = CronSchedule.Parse("*/15 * * * * *", TimeZoneInfo.Utc);
        Assert.Equal([Utc("2024-01-01T00:00:15"), Utc("2024-01-01T00:00:30")], Next(cron, Utc("2024-01-01T00:00:00"), 2));
    }

    [Theory]
    [InlineData("@hourly", "2024-01-01T01:00:00")]
    [InlineData("@daily", "2024-01-02T00:00:00")]
    [InlineData("@weekly", "2024-01-07T00:00:00")]
    [InlineData("@monthly", "2024-02-01T00:00:00")]
    [InlineData("@yearly", "2025-01-01T00:00:00")]
    public void Presets(string preset, string expectedNext)
    {
        var cron = CronSchedule.Parse(preset, TimeZoneInfo.Utc);
        Assert.Equal(Utc(expectedNext), cron.NextBoundary(Utc("2024-01-01T00:00:00"), inclusive: false));
    }

    [Fact]
    public void Previous_boundary_across_fall_back_sees_both_repeated_hours()
    {
        var cron = CronSchedule.Parse("0 * * * *", NewYork);
        Assert.Equal(Utc("2024-11-03T05:00:00"), cron.PreviousBoundary(Utc("2024-11-03T06:00:00"), inclusive: false));
        Assert.Equal(Utc("2024-11-03T06:00:00"), cron.PreviousBoundary(Utc("2024-11-03T06:00:00"), inclusive: true));
    }

    [Theory]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("61 * * * *", "invalid cron expression '61 * * * *'")]
    public void Bad_expressions_are_rejected(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => CronSchedule.Parse(text, TimeZoneInfo.Utc));
        Assert.Contains(message, ex.Message);
    }
}
