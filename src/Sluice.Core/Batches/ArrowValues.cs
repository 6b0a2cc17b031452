using System.Globalization;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Sluice.Core.Types;

namespace Sluice.Core.Batches;

/// <summary>Reads single values out of Arrow arrays, for text formats and the Airbyte protocol (not the bulk paths).</summary>
public static class ArrowValues
{
    public static object? Get(IArrowArray array, int row)
    {
        if (array.IsNull(row))
            return null;
        return array switch
        {
            BooleanArray a => a.GetValue(row),
            Int8Array a => a.GetValue(row),
            Int16Array a => a.GetValue(row),
            Int32Array a => a.GetValue(row),
            Int64Array a => a.GetValue(row),
            UInt8Array a => a.GetValue(row),
            UInt16Array a => a.GetValue(row),
            UInt32Array a => a.GetValue(row),
            UInt64Array a => a.GetValue(row),
            FloatArray a => a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            Decimal128Array a => a.GetString(row),
            StringArray a => a.GetString(row),
            BinaryArray a => a.GetBytes(row).ToArray(),
            Date32Array a => DateValue(a.Values[row]),
            Time64Array a => TimeSpan.FromTicks(a.Values[row] * 10),
            TimestampArray a => TimestampValue(a.Values[row], !string.IsNullOrEmpty(((TimestampType)a.Data.DataType).Timezone)),
            _ => throw new NotSupportedException($"Arrow array {array.GetType().Name}"),
        };
    }

    private static object DateValue(int days) => days switch
    {
        ArrowTypes.PositiveInfinityDays => "infinity",
        ArrowTypes.NegativeInfinityDays => "-infinity",
        _ => RecordBatchBuilder.FromUnixDays(days),
    };

    private static object TimestampValue(long micros, bool utc) => micros switch
    {
        ArrowTypes.PositiveInfinityMicros => "infinity",
        ArrowTypes.NegativeInfinityMicros => "-infinity",
        _ when utc => new DateTimeOffset(RecordBatchBuilder.FromUnixMicros(micros)),
        _ => DateTime.SpecifyKind(RecordBatchBuilder.FromUnixMicros(micros), DateTimeKind.Unspecified),
    };

    /// <summary>Text form of a value as Sluice writes it into CSV and JSON: ISO dates and times, invariant numbers, base64 bytes.</summary>
    public static string? ToText(IArrowArray array, int row)
    {
        var value = Get(array, row);
        return value switch
        {
            null => null,
            string s => s,
            bool b => b ? "true" : "false",
            byte[] bytes => Convert.ToBase64String(bytes),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            TimeSpan t => t.ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
            double d => FormatDouble(d),
            float f => FormatDouble(f),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    /// <summary>JSON form of a value: numbers stay numbers (exact decimals as raw JSON numbers), JSON columns embed as JSON.</summary>
    public static JsonNode? ToJson(IArrowArray array, int row, LogicalType type)
    {
        if (array.IsNull(row))
            return null;
        switch (type.Kind)
        {
            case LogicalKind.Boolean:
                return JsonValue.Create(((BooleanArray)array).GetValue(row));
            case LogicalKind.Float32 or LogicalKind.Float64:
                var d = Convert.ToDouble(Get(array, row), CultureInfo.InvariantCulture);
                return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(FormatDouble(d));
            case LogicalKind.Decimal or LogicalKind.BigDecimal:
                var text = ToText(array, row)!;
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? JsonNode.Parse(text) : JsonValue.Create(text);
            case var _ when type.IsInteger:
                return JsonNode.Parse(ToText(array, row)!);
            case LogicalKind.Json or LogicalKind.Array:
                var json = ((StringArray)array).GetString(row);
                try { return JsonNode.Parse(json); }
                catch (System.Text.Json.JsonException) { return JsonValue.Create(json); }
            default:
                return JsonValue.Create(ToText(array, row));
        }
    }

    private static string FormatDouble(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Bytes of the batch's buffers: the "bytes" of sync stats.</summary>
    public static long ByteSize(RecordBatch batch)
    {
        long total = 0;
        for (var i = 0; i < batch.ColumnCount; i++)
            total += ByteSize(batch.Column(i).Data);
        return total;
    }

    private static long ByteSize(ArrayData data)
    {
        long total = 0;
        foreach (var buffer in data.Buffers)
            total += buffer.Length;
        foreach (var child in data.Children ?? [])
            total += ByteSize(child);
        return total;
    }
}
