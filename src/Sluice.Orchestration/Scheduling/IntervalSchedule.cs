namespace Sluice.Orchestration.Scheduling;

/// <summary>
/// A fixed interval (<c>@every 15m</c>): boundaries at <see cref="Anchor"/> + k × <see cref="Interval"/>.
/// The anchor is the DAG's start_date, or the Unix epoch so that "every 15m" lands on :00, :15, :30, :45 UTC.
/// Absolute durations, so daylight saving time does not move it.
/// </summary>
public sealed record IntervalSchedule(TimeSpan Interval, DateTimeOffset Anchor) : TimeSchedule
{
    public override string Text => $"@every {Durations.Format(Interval)}";

    public override DateTimeOffset? NextBoundary(DateTimeOffset t, bool inclusive)
    {
        var (k, exact) = Step(t);
        return At(exact && inclusive ? k : k + 1);
    }

    public override DateTimeOffset? PreviousBoundary(DateTimeOffset t, bool inclusive)
    {
        var (k, exact) = Step(t);
        return At(exact && !inclusive ? k - 1 : k);
    }

    // Floor division, so instants before the anchor still land on the same lattice.
    private (long K, bool Exact) Step(DateTimeOffset t)
    {
        var offset = (t - Anchor).Ticks;
        var k = Math.DivRem(offset, Interval.Ticks, out var remainder);
        if (remainder < 0)
        {
            k--;
        }

        return (k, remainder == 0);
    }

    private DateTimeOffset? At(long k)
    {
        try
        {
            return Anchor.AddTicks(checked(k * Interval.Ticks));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }
}
