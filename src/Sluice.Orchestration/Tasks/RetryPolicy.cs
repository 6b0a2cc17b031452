namespace Sluice.Orchestration.Tasks;

/// <summary>
/// How often and after how long a failed task is tried again. Deterministic (no jitter), so a retry time
/// is reproducible and testable: delay × 2^(n-1) for the n-th retry when backing off, capped.
/// </summary>
public sealed record RetryPolicy(int Retries, TimeSpan Delay, bool ExponentialBackoff = false, TimeSpan? MaxDelay = null)
{
    /// <summary>Airflow's default retry_delay.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMinutes(5);

    /// <summary>The cap when max_retry_delay is not set, so a long backoff cannot push a retry out for weeks.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromHours(24);

    public static RetryPolicy None { get; } = new(0, DefaultDelay);

    /// <summary>True when a task that has failed <paramref name="failures"/> times may be tried again.</summary>
    public bool CanRetry(int failures) => failures <= Retries;

    /// <summary>The wait before the <paramref name="retryNumber"/>-th retry (1 for the first retry).</summary>
    public TimeSpan DelayBefore(int retryNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);
        var cap = MaxDelay ?? DefaultMaxDelay;
        if (!ExponentialBackoff)
        {
            return Delay <= cap ? Delay : cap;
        }

        // In double, so a large retry number saturates at the cap instead of overflowing.
        var ticks = Delay.Ticks * Math.Pow(2, retryNumber - 1);
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>When the <paramref name="retryNumber"/>-th retry may start after a failure at <paramref name="failedAt"/>.</summary>
    public DateTimeOffset RetryAt(DateTimeOffset failedAt, int retryNumber) => failedAt + DelayBefore(retryNumber);
}
