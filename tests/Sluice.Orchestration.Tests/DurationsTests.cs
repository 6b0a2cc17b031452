namespace Sluice.Orchestration.Tests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("1.5h", 5400)]
    [InlineData("PT1H30M", 5400)]
    [InlineData("P1DT1S", 86401)]
    public void Parses(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public void Parses_milliseconds() =>
        Assert.True(Durations.TryParse("250ms", out var v, out _) && v == TimeSpan.FromMilliseconds(250));

    [Theory]
    [InlineData("30", "not a duration")]
    [InlineData("5 minutes", "not a duration")]
    [InlineData("-5s", "negative")]
    [InlineData("P1M", "no fixed length")]
    [InlineData("PT", "not a valid ISO 8601")]
    public void Rejects(string text, string message)
    {
        Assert.False(Durations.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Formats_short() => Assert.Equal("1h30m", Durations.Format(TimeSpan.FromMinutes(90)));
}
