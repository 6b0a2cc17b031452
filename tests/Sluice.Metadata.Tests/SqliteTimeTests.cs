using System.Globalization;
using Sluice.Metadata.Relational;

namespace Sluice.Metadata.Tests;

public sealed class SqliteTimeTests
{
    [Theory]
    [InlineData("2025-03-14 15:09:26.5350000+00:00")]
    [InlineData("2025-03-14 15:09:26.535+00:00")]
    [InlineData("2025-03-14 15:09:26.1234567+00:00")]
    [InlineData("2025-03-14 15:09:26+00:00")]
    [InlineData("2024-02-29 23:59:59.9999999+05:30")]
    [InlineData("2024-01-01 00:00:00.0000001-08:00")]
    public void Reads_what_Microsoft_Data_Sqlite_writes_exactly_as_the_framework_parser(string text)
    {
        Assert.True(SqliteTime.TryParse(text, out var fast));
        Assert.Equal(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUniversalTime(), fast);
        Assert.Equal(TimeSpan.Zero, fast.Offset);
    }

    [Fact]
    public void Round_trips_the_format_of_the_sqlite_driver()
    {
        var value = new DateTimeOffset(2026, 11, 23, 6, 30, 1, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.True(SqliteTime.TryParse(value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture), out var read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("2025-03-14T15:09:26Z")]
    [InlineData("2025-03-14 15:09:26")]
    [InlineData("2025-02-30 15:09:26+00:00")]
    [InlineData("2025-03-14 15:09:26.+00:00")]
    [InlineData("2025-03-14 15:09:26.123456789+00:00")]
    [InlineData("2025-03-14 25:09:26+00:00")]
    public void Leaves_any_other_shape_to_the_framework_parser(string text) => Assert.False(SqliteTime.TryParse(text, out _));
}
