namespace Sluice.Engine.Jobs;

/// <summary>How a sync job retries: attempts and the backoff between them (doubling from <see cref="InitialBackoff"/>).</summary>
public sealed record SyncJobOptions
{
    public int MaxAttempts { get; init; } = 3;
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan BackoffBefore(int attempt) =>
        attempt <= 1 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Min(attempt - 2, 20))));
}
