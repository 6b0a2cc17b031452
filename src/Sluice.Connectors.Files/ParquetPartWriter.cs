using System.Globalization;
using System.Numerics;
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
        return type.Kind switch
        {
            LogicalKind.Boolean => Write(rowGroup, field, n, i => ((BooleanArray)array).GetValue(i), cancellationToken),
            LogicalKind.Int8 => Write(rowGroup, field, n, i => ((Int8Array)array).GetValue(i), cancellationToken),
            LogicalKind.Int16 => Write(rowGroup, field, n, i => ((Int16Array)array).GetValue(i), cancellationToken),
            LogicalKind.Int32 => Write(rowGroup, field, n, i => ((Int32Array)array).GetValue(i), cancellationToken),
            LogicalKind.Int64 => Write(rowGroup, field, n, i => ((Int64Array)array).GetValue(i), cancellationToken),
            LogicalKind.UInt8 => Write(rowGroup, field, n, i => ((UInt8Array)array).GetValue(i), cancellationToken),
            LogicalKind.UInt16 => Write(rowGroup, field, n, i => ((UInt16Array)array).GetValue(i), cancellationToken),
            LogicalKind.UInt32 => Write(rowGroup, field, n, i => ((UInt32Array)array).GetValue(i), cancellationToken),
            LogicalKind.UInt64 => Write(rowGroup, field, n, i => ((UInt64Array)array).GetValue(i), cancellationToken),
            LogicalKind.Float32 => Write(rowGroup, field, n, i => ((FloatArray)array).GetValue(i), cancellationToken),
            LogicalKind.Float64 => Write(rowGroup, field, n, i => ((DoubleArray)array).GetValue(i), cancellationToken),
            LogicalKind.Decimal => Write(rowGroup, field, n, i => array.IsNull(i) ? null : (BigDecimal?)ToBigDecimal(((Decimal128Array)array).GetString(i)!, type), cancellationToken),
            LogicalKind.Date => Write(rowGroup, field, n, i => array.IsNull(i) ? null : (DateTime?)DateOf(((Date32Array)array).Values[i]), cancellationToken),
            // Parquet.Net stores TIME(MICROS) from the raw microseconds.
            LogicalKind.Time => Write(rowGroup, field, n, i => ((Time64Array)array).GetValue(i), cancellationToken),
            LogicalKind.Timestamp or LogicalKind.TimestampTz => Write(rowGroup, field, n, i => array.IsNull(i) ? null : (DateTime?)InstantOf(((TimestampArray)array).Values[i], type), cancellationToken),
            LogicalKind.Binary => rowGroup.WriteAsync(field, Enumerable.Range(0, n).Select(i => array.IsNull(i) ? null : ((BinaryArray)array).GetBytes(i).ToArray()).ToArray(), null),
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

    private static BigDecimal ToBigDecimal(string text, LogicalType type)
    {
        var negative = text.StartsWith('-');
        var parts = text.TrimStart('-').Split('.');
        var fraction = (parts.Length > 1 ? parts[1] : "").PadRight(type.Scale, '0');
        var unscaled = BigInteger.Parse(parts[0] + fraction, CultureInfo.InvariantCulture);
        return new BigDecimal(negative ? -unscaled : unscaled, type.Precision, type.Scale);
    }

    private static DateTime DateOf(int days) => days switch
    {
        ArrowTypes.PositiveInfinityDays => DateTime.MaxValue.Date,
        ArrowTypes.NegativeInfinityDays => DateTime.MinValue,
        _ => RecordBatchBuilder.FromUnixDays(days).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
    };

    private static DateTime InstantOf(long micros, LogicalType type)
    {
        var value = micros switch
        {
            ArrowTypes.PositiveInfinityMicros => DateTime.MaxValue,
            ArrowTypes.NegativeInfinityMicros => DateTime.MinValue,
            _ => RecordBatchBuilder.FromUnixMicros(micros),
        };
        return DateTime.SpecifyKind(value, type.Kind == LogicalKind.TimestampTz ? DateTimeKind.Utc : DateTimeKind.Unspecified);
    }

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
