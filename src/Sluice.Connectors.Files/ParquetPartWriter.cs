using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Parquet;
using Parquet.Schema;
using Sluice.Core.Batches;
using Sluice.Core.Types;
using BigDecimal = Parquet.Data.BigDecimal;

namespace Sluice.Connectors.Files;

/// <summary>
/// A Parquet part: one row group per batch, logical types kept (decimal(p,s) exact via unscaled integers, timestamps
/// in microseconds with the UTC flag, dates). Size is the file's bytes on disk after each row group.
/// ±infinity dates and timestamps have no Parquet form and are clamped to the largest and smallest DateTime.
/// </summary>
internal sealed class ParquetPartWriter : IPartWriter
{
    private readonly Stream _file;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly LogicalType[] _types;

    private ParquetPartWriter(Stream file, ParquetWriter writer, Schema schema, DataField[] fields, LogicalType[] types)
    {
        _file = file;
        _writer = writer;
        Schema = schema;
        _fields = fields;
        _types = types;
    }

    public static async Task<ParquetPartWriter> CreateAsync(Stream file, Schema schema, FileCompression compression, CancellationToken cancellationToken)
    {
        var types = schema.FieldsList.Select(ArrowTypes.LogicalTypeOf).ToArray();
        var fields = schema.FieldsList.Select((f, i) => ParquetTypes.FieldFor(f.Name, types[i])).ToArray();
        var options = new ParquetOptions
        {
            // Parquet.Net pools its page buffers and by default keeps whatever it pooled; bounded here so RSS stays flat.
            MaximumSmallPoolFreeBytes = 16 << 20,
            MaximumLargePoolFreeBytes = 64 << 20,
            CompressionMethod = compression switch
            {
                FileCompression.None => CompressionMethod.None,
                FileCompression.Gzip => CompressionMethod.Gzip,
                FileCompression.Zstd => CompressionMethod.Zstd,
                _ => CompressionMethod.Snappy,
            },
        };
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, options, append: false, cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            [ParquetTypes.MetadataKey] = JsonSerializer.Serialize(schema.FieldsList.Select((f, i) => (f.Name, Type: types[i].ToString())).ToDictionary(p => p.Name, p => p.Type)),
        };
        return new ParquetPartWriter(file, writer, schema, fields, types);
    }

    public Schema Schema { get; }
    public long Bytes => _file.Position;

    public async Task<int> WriteAsync(RecordBatch batch, int start, long maxBytes, CancellationToken cancellationToken)
    {
        var slice = start == 0 ? batch : batch.Slice(start, batch.Length - start);
        using var rowGroup = _writer.CreateRowGroup();
        for (var c = 0; c < _fields.Length; c++)
            await WriteColumnAsync(rowGroup, _fields[c], _types[c], slice.Column(c), cancellationToken);
        return batch.Length;
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter rowGroup, DataField field, LogicalType type, IArrowArray array, CancellationToken cancellationToken)
    {
        var n = array.Length;
        return (type.Kind, array) switch
        {
            (LogicalKind.Boolean, BooleanArray a) => Write(rowGroup, field, n, i => a.GetValue(i), cancellationToken),
            (_, Int8Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, Int16Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, Int32Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, Int64Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, UInt8Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, UInt16Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, UInt32Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, UInt64Array a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, FloatArray a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (_, DoubleArray a) => Write(rowGroup, field, a, a.Values, cancellationToken),
            (LogicalKind.Decimal, Decimal128Array a) => Write(rowGroup, field, n, i => a.IsNull(i) ? null : (BigDecimal?)ToBigDecimal(a, i, type), cancellationToken),
            (LogicalKind.Date, Date32Array a) => Write(rowGroup, field, n, i => a.IsNull(i) ? null : (DateTime?)DateOf(a.Values[i]), cancellationToken),
            // Parquet.Net stores TIME(MICROS) from the raw microseconds.
            (LogicalKind.Time, Time64Array a) => Write(rowGroup, field, n, i => a.GetValue(i), cancellationToken),
            (LogicalKind.Timestamp or LogicalKind.TimestampTz, TimestampArray a) => WriteInstants(rowGroup, field, a, type, cancellationToken),
            (LogicalKind.Binary, BinaryArray a) => WriteBytes(rowGroup, field, a, cancellationToken),
            (_, StringArray a) => WriteText(rowGroup, field, a, cancellationToken),
            _ => rowGroup.WriteAsync(field, Enumerable.Range(0, n).Select(i => ArrowValues.ToText(array, i)).ToArray(), null),
        };
    }

    private static Task Write<T>(ParquetRowGroupWriter rowGroup, DataField field, int count, Func<int, T?> value, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[count];
        for (var i = 0; i < count; i++)
            values[i] = value(i);
        return rowGroup.WriteAsync(field, new ReadOnlyMemory<T?>(values), null, null, cancellationToken);
    }

    /// <summary>Fixed-width numbers straight from the Arrow values buffer, with no per-value call.</summary>
    private static Task Write<T>(ParquetRowGroupWriter rowGroup, DataField field, IArrowArray array, ReadOnlySpan<T> source, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[array.Length];
        if (array.NullCount == 0)
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = source[i];
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = array.IsNull(i) ? null : source[i];
        }
        return rowGroup.WriteAsync(field, new ReadOnlyMemory<T?>(values), null, null, cancellationToken);
    }

    /// <summary>
    /// Text decoded once into one char array for the whole column, each value a slice of it: no string per value.
    /// ASCII text (the common case) is widened in one vectorized pass and sliced at the byte offsets; other text is
    /// decoded value by value.
    /// </summary>
    private static Task WriteText(ParquetRowGroupWriter rowGroup, DataField field, StringArray array, CancellationToken cancellationToken)
    {
        var offsets = array.ValueOffsets;
        var bytes = array.Values;
        var first = offsets[0];
        var all = bytes[first..offsets[array.Length]];
        var values = new ReadOnlyMemory<char>?[array.Length];
        var hasNulls = array.NullCount > 0;
        if (Ascii.IsValid(all))
        {
            var chars = new char[all.Length];
            Ascii.ToUtf16(all, chars, out _);
            for (var i = 0; i < values.Length; i++)
            {
                if (!hasNulls || !array.IsNull(i))
                    values[i] = chars.AsMemory(offsets[i] - first, offsets[i + 1] - offsets[i]);
            }
        }
        else
        {
            var chars = new char[Encoding.UTF8.GetMaxCharCount(all.Length)];
            var used = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (hasNulls && array.IsNull(i))
                    continue;
                var n = Encoding.UTF8.GetChars(bytes[offsets[i]..offsets[i + 1]], chars.AsSpan(used));
                values[i] = chars.AsMemory(used, n);
                used += n;
            }
        }
        return rowGroup.WriteAsync(field, new ReadOnlyMemory<ReadOnlyMemory<char>?>(values), null, null, cancellationToken);
    }

    /// <summary>Timestamps from the microseconds buffer in one loop (this runs for every batch's extracted-at column too).</summary>
    private static Task WriteInstants(ParquetRowGroupWriter rowGroup, DataField field, TimestampArray array, LogicalType type, CancellationToken cancellationToken)
    {
        var micros = array.Values;
        var values = new DateTime?[array.Length];
        var hasNulls = array.NullCount > 0;
        var kind = type.Kind == LogicalKind.TimestampTz ? DateTimeKind.Utc : DateTimeKind.Unspecified;
        for (var i = 0; i < values.Length; i++)
        {
            if (!hasNulls || !array.IsNull(i))
                values[i] = InstantOf(micros[i], kind);
        }
        return rowGroup.WriteAsync(field, new ReadOnlyMemory<DateTime?>(values), null, null, cancellationToken);
    }

    /// <summary>Bytes as slices of the Arrow values buffer, without copying each value.</summary>
    private static Task WriteBytes(ParquetRowGroupWriter rowGroup, DataField field, BinaryArray array, CancellationToken cancellationToken)
    {
        var values = new ReadOnlyMemory<byte>?[array.Length];
        var data = array.ValueBuffer.Memory;
        for (var i = 0; i < values.Length; i++)
        {
            if (array.IsNull(i))
                continue;
            var start = array.ValueOffsets[i];
            values[i] = data[start..array.ValueOffsets[i + 1]];
        }
        return rowGroup.WriteAsync(field, new ReadOnlyMemory<ReadOnlyMemory<byte>?>(values), null, null, cancellationToken);
    }

    private static BigDecimal ToBigDecimal(Decimal128Array array, int index, LogicalType type) =>
        new((BigInteger)MemoryMarshal.Read<Int128>(array.ValueBuffer.Span[((array.Offset + index) * 16)..]), type.Precision, type.Scale);

    private static DateTime DateOf(int days) => days switch
    {
        ArrowTypes.PositiveInfinityDays => DateTime.MaxValue.Date,
        ArrowTypes.NegativeInfinityDays => DateTime.MinValue,
        _ => RecordBatchBuilder.FromUnixDays(days).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
    };

    private static DateTime InstantOf(long micros, DateTimeKind kind) => micros switch
    {
        ArrowTypes.PositiveInfinityMicros => DateTime.SpecifyKind(DateTime.MaxValue, kind),
        ArrowTypes.NegativeInfinityMicros => DateTime.SpecifyKind(DateTime.MinValue, kind),
        _ => new DateTime(DateTime.UnixEpoch.Ticks + micros * 10, kind),
    };

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _writer.DisposeAsync();
        await _file.FlushAsync(cancellationToken);
        await _file.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _file.DisposeAsync();
    }
}
