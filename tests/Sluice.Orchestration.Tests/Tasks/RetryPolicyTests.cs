using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Tests.Tasks;

public sealed class RetryPolicyTests
{
    [Fact]
    public void Fixed_delay_is_the_same_for_every_retry()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayBefore(1));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayBefore(3));
    }

    [Fact]
    public void Exponential_backoff_doubles_and_is_capped()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(30), ExponentialBackoff: true, MaxDelay: TimeSpan.FromMinutes(5));
        Assert.Equal(
            [30, 60, 120, 240, 300, 300],
            Enumerable.Range(1, 6).Select(n => (int)policy.DelayBefore(n).TotalSeconds));
    }

    [Fact]
    public void Exponential_backoff_without_a_max_is_capped_at_a_day_and_never_overflows()
    {
        var policy = new RetryPolicy(1000, TimeSpan.FromMinutes(5), ExponentialBackoff: true);
        Assert.Equal(RetryPolicy.DefaultMaxDelay, policy.DelayBefore(1000));
    }

    [Fact]
    public void Retry_budget_and_time()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromMinutes(1), ExponentialBackoff: true);
        Assert.True(policy.CanRetry(1));
        Assert.True(policy.CanRetry(2));
        Assert.False(policy.CanRetry(3));
        Assert.False(RetryPolicy.None.CanRetry(1));
        var failedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(failedAt.AddMinutes(2), policy.RetryAt(failedAt, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.DelayBefore(0));
    }
}
