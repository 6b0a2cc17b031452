using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Core.Tests;

/// <summary>The typed column buffers the bulk read paths append to: exact decimals, lazy validity, buffers reused across batches.</summary>
public sealed class ColumnBufferTests
{
    [Theory]
    [InlineData("12.30", 2, "12.30")]
    [InlineData("-0.05", 2, "-0.05")]
    [InlineData("7", 2, "7.00")]
    [InlineData("1.5e3", 1, "1500.0")]
    [InlineData("1.50e-1", 2, "0.15")]
    [InlineData("99999999999999999999999999999999999999", 0, "99999999999999999999999999999999999999")]
    [InlineData("-0.0000000000000000000000000000000000001", 37, "-0.0000000000000000000000000000000000001")]
    public void Decimal_text_becomes_the_exact_unscaled_value(string text, int scale, string expected)
    {
        var unscaled = DecimalText.ParseUnscaled(text, scale);
        Assert.Equal(expected, DecimalText.Format(unscaled, scale));
    }

    [Fact]
    public void Decimal_digits_beyond_the_scale_or_precision_fail_instead_of_rounding()
    {
        var builder = new RecordBatchBuilder([new ColumnSchema("d", LogicalType.Decimal(5, 2))]);
        Assert.Throws<OverflowException>(() => builder[0].AppendDecimalText("1.234"));
        Assert.Throws<OverflowException>(() => builder[0].AppendDecimalText("1000.00"));
        Assert.Throws<OverflowException>(() => builder[0].Append(1.005m));
        builder[0].AppendDecimalText("1.230");
        builder[0].Append(-999.99m);
        builder[0].Append(12L);
        builder[0].AppendUnscaled(5);
        builder[0].AppendNull();
        for (var i = 0; i < 5; i++)
            builder.EndRow();

        var column = builder.Flush().Column(0);

        Assert.Equal(["1.23", "-999.99", "12.00", "0.05", null], Enumerable.Range(0, 5).Select(i => ArrowValues.ToText(column, i)));
    }

    [Fact]
    public void Nulls_anywhere_in_a_batch_keep_every_other_value()
    {
        var columns = new ColumnSchema[] { new("i", LogicalType.Int32), new("s", LogicalType.String), new("b", LogicalType.Boolean) };
        var builder = new RecordBatchBuilder(columns, maxRows: int.MaxValue, maxBytes: long.MaxValue);
        const int rows = 3000;
        for (var r = 0; r < rows; r++)
        {
            var isNull = r % 7 == 3 || r == rows - 1;
            if (isNull)
            {
                for (var c = 0; c < columns.Length; c++)
                    builder[c].AppendNull();
            }
            else
            {
                builder[0].Append(r);
                builder[1].Append($"värde {r} 🎉");
                builder[2].Append(r % 2 == 0);
            }
            builder.EndRow();
        }

        var batch = builder.Flush();

        for (var r = 0; r < rows; r++)
        {
            var isNull = r % 7 == 3 || r == rows - 1;
            Assert.Equal(isNull ? null : r, ArrowValues.Get(batch.Column(0), r));
            Assert.Equal(isNull ? null : $"värde {r} 🎉", ArrowValues.Get(batch.Column(1), r));
            Assert.Equal(isNull ? null : r % 2 == 0, ArrowValues.Get(batch.Column(2), r));
        }
        Assert.Equal(rows / 7 + 1, batch.Column(1).NullCount);
    }

    [Fact]
    public void A_flushed_batch_is_unchanged_by_the_next_one()
    {
        var builder = new RecordBatchBuilder([new ColumnSchema("s", LogicalType.String), new ColumnSchema("n", LogicalType.Int64)]);
        builder[0].Append("first");
        builder[1].Append(1L);
        builder.EndRow();
        var first = builder.Flush();
        builder[0].Append("second, and longer than the first");
        builder[1].Append(2L);
        builder.EndRow();
        var second = builder.Flush();

        Assert.Equal("first", ((StringArray)first.Column(0)).GetString(0));
        Assert.Equal(1L, ((Int64Array)first.Column(1)).GetValue(0));
        Assert.Equal("second, and longer than the first", ((StringArray)second.Column(0)).GetString(0));
        Assert.Equal(0, first.Column(0).NullCount);
    }

    [Fact]
    public void Batches_of_changing_sizes_keep_their_own_values_and_nulls()
    {
        // Buffers are reused across flushes and sized from earlier batches: a batch must not see a later batch's
        // values, nor its nulls leak into the next one.
        var columns = new ColumnSchema[] { new("n", LogicalType.Int64), new("d", LogicalType.Decimal(12, 2)), new("s", LogicalType.String), new("b", LogicalType.Binary) };
        var builder = new RecordBatchBuilder(columns, maxRows: int.MaxValue, maxBytes: long.MaxValue);
        var sizes = new[] { 3000, 1200, 3000, 5000, 10, 0, 4000 };
        var batches = new List<Apache.Arrow.RecordBatch>();
        foreach (var (size, index) in sizes.Select((size, index) => (size, index)))
        {
            for (var r = 0; r < size; r++)
            {
                if (index % 2 == 0 && r % 5 == 1)
                {
                    for (var c = 0; c < columns.Length; c++)
                        builder[c].AppendNull();
                }
                else
                {
                    builder[0].Append((long)(index * 100_000 + r));
                    builder[1].AppendUnscaled(r);
                    builder[2].Append($"{index}:{r}");
                    builder[3].Append(BitConverter.GetBytes(r));
                }
                builder.EndRow();
            }
            batches.Add(builder.Flush());
        }

        foreach (var (batch, index) in batches.Select((batch, index) => (batch, index)))
        {
            Assert.Equal(sizes[index], batch.Length);
            for (var r = 0; r < batch.Length; r++)
            {
                var isNull = index % 2 == 0 && r % 5 == 1;
                Assert.Equal(isNull ? null : index * 100_000L + r, ArrowValues.Get(batch.Column(0), r));
                Assert.Equal(isNull ? null : $"{index}:{r}", ArrowValues.Get(batch.Column(2), r));
                Assert.Equal(isNull ? null : (r / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), ArrowValues.ToText(batch.Column(1), r));
                Assert.Equal(isNull ? null : BitConverter.GetBytes(r), (byte[]?)ArrowValues.Get(batch.Column(3), r));
            }
            Assert.Equal(index % 2 == 0 ? (batch.Length + 3) / 5 : 0, batch.Column(0).NullCount);
        }
    }
}
