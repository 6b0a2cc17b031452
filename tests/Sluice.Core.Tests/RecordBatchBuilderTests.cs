using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Core.Tests;

public sealed class RecordBatchBuilderTests
{
    private static readonly ColumnSchema[] Columns =
    [
        new("id", LogicalType.Int64, false),
        new("price", LogicalType.Decimal(38, 10)),
        new("big", LogicalType.BigDecimal),
        new("ratio", LogicalType.Float64),
        new("name", LogicalType.String),
        new("born", LogicalType.Date),
        new("seen", LogicalType.TimestampTz),
        new("flag", LogicalType.Boolean),
        new("blob", LogicalType.Binary),
        new("small", LogicalType.UInt8),
    ];

    [Fact]
    public void Values_round_trip_exactly_through_arrow()
    {
        var builder = new RecordBatchBuilder(Columns);
        builder.AppendValue(0, 1L);
        builder.AppendValue(1, "1234567890123456789012345678.0123456789");
        builder.AppendValue(2, "123456789012345678901234567890123456789012345678901234567890.5");
        builder.AppendValue(3, double.NaN);
        builder.AppendValue(4, "Grüße 🎉");
        builder.AppendValue(5, new DateOnly(1900, 2, 28));
        builder.AppendValue(6, new DateTimeOffset(2150, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1230));
        builder.AppendValue(7, true);
        builder.AppendValue(8, new byte[] { 0, 1, 255 });
        builder.AppendValue(9, 255);
        builder.EndRow();
        for (var c = 0; c < Columns.Length; c++)
            builder.AppendValue(c, c == 0 ? 2L : null);
        builder.EndRow();

        var batch = builder.Flush();

        Assert.Equal(2, batch.Length);
        Assert.Equal(1L, ArrowValues.Get(batch.Column(0), 0));
        Assert.Equal("1234567890123456789012345678.0123456789", ArrowValues.ToText(batch.Column(1), 0));
        Assert.Equal("123456789012345678901234567890123456789012345678901234567890.5", ArrowValues.ToText(batch.Column(2), 0));
        Assert.Equal("NaN", ArrowValues.ToText(batch.Column(3), 0));
        Assert.Equal("Grüße 🎉", ArrowValues.ToText(batch.Column(4), 0));
        Assert.Equal("1900-02-28", ArrowValues.ToText(batch.Column(5), 0));
        Assert.Equal("2150-01-02T01:04:05.000123Z", ArrowValues.ToText(batch.Column(6), 0));
        Assert.Equal("true", ArrowValues.ToText(batch.Column(7), 0));
        Assert.Equal(new byte[] { 0, 1, 255 }, (byte[])ArrowValues.Get(batch.Column(8), 0)!);
        Assert.Equal((byte)255, ArrowValues.Get(batch.Column(9), 0));
        for (var c = 1; c < Columns.Length; c++)
            Assert.Null(ArrowValues.Get(batch.Column(c), 1));
        Assert.Equal("decimal(38,10)", ArrowTypes.LogicalTypeOf(batch.Schema.GetFieldByIndex(1)).ToString());
    }

    [Fact]
    public void Builder_reports_full_at_its_row_limit_and_starts_over_after_flush()
    {
        var builder = new RecordBatchBuilder([new ColumnSchema("id", LogicalType.Int64)], maxRows: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(builder.IsFull);
            builder.AppendValue(0, i);
            builder.EndRow();
        }
        Assert.True(builder.IsFull);
        Assert.Equal(3, builder.Flush().Length);
        Assert.Equal(0, builder.RowCount);
        Assert.False(builder.IsFull);
    }

    [Fact]
    public void Out_of_range_integer_is_refused_not_truncated()
    {
        var builder = new RecordBatchBuilder([new ColumnSchema("tiny", LogicalType.Int8)]);
        Assert.Throws<OverflowException>(() => builder.AppendValue(0, 300));
    }

    [Theory]
    [InlineData("decimal(12,2)")]
    [InlineData("array<int32>")]
    [InlineData("timestamptz")]
    [InlineData("bigdecimal")]
    public void Logical_type_text_round_trips(string text) => Assert.Equal(text, LogicalType.Parse(text).ToString());

    [Fact]
    public void Decimal_beyond_38_digits_becomes_big_decimal_by_rule() =>
        Assert.Equal(LogicalKind.BigDecimal, LogicalType.Decimal(65, 30).Kind);
}
