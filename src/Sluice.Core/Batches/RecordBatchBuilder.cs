using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Core.Batches;

/// <summary>
/// Builds Arrow record batches row by row. Sources fill a builder until <see cref="IsFull"/> and then emit it, so
/// memory per stream stays at one batch whatever the table size.
/// </summary>
public sealed class RecordBatchBuilder
{
    public const int DefaultMaxRows = 32_768;
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    private readonly ColumnBuffer[] _columns;
    private readonly LogicalType[] _types;
    private readonly int _maxRows;
    private readonly long _maxBytes;

    public RecordBatchBuilder(IReadOnlyList<ColumnSchema> columns, int maxRows = DefaultMaxRows, long maxBytes = DefaultMaxBytes)
    {
        Schema = ArrowTypes.ToSchema(columns);
        _types = columns.Select(c => c.Type).ToArray();
        _columns = Schema.FieldsList.Select(f => ColumnBuffer.For(f.DataType)).ToArray();
        _maxRows = maxRows;
        _maxBytes = maxBytes;
    }

    public Schema Schema { get; }
    public int RowCount { get; private set; }
    public int ColumnCount => _columns.Length;
    public bool IsFull => RowCount >= _maxRows || (RowCount % 256 == 0 && ByteSize >= _maxBytes);
    public long ByteSize => _columns.Sum(c => c.ByteSize);

    public ColumnBuffer this[int column] => _columns[column];

    public void EndRow() => RowCount++;

    /// <summary>Takes the rows built so far as a batch and starts a new one.</summary>
    public RecordBatch Flush()
    {
        var arrays = _columns.Select(c => c.Build()).ToList();
        var batch = new RecordBatch(Schema, arrays, RowCount);
        for (var i = 0; i < _columns.Length; i++)
            _columns[i] = _columns[i].Next();
        RowCount = 0;
        return batch;
    }

    public void AppendDate(int column, DateOnly date) => _columns[column].Append((long)(date.DayNumber - UnixEpochDay));
    public void AppendTimestamp(int column, DateTime value) => _columns[column].Append(ToUnixMicros(value));
    public void AppendTimestamp(int column, DateTimeOffset value) => _columns[column].Append(ToUnixMicros(value.UtcDateTime));
    public void AppendTime(int column, TimeSpan value) => _columns[column].Append(value.Ticks / 10);

    /// <summary>Appends any CLR or JSON value by the column's logical type; the slow path for text formats and tests.</summary>
    public void AppendValue(int column, object? value)
    {
        var buffer = _columns[column];
        if (value is null or DBNull || value is JsonValue { } jv && jv.GetValueKind() == JsonValueKind.Null)
        {
            buffer.AppendNull();
            return;
        }
        var type = _types[column];
        switch (type.Kind)
        {
            case LogicalKind.Boolean:
                buffer.Append(value switch { bool b => b, string s => ParseBool(s), JsonNode n => n.GetValue<bool>(), _ => Convert.ToBoolean(value, CultureInfo.InvariantCulture) });
                break;
            case LogicalKind.UInt64:
                buffer.Append(value switch { ulong u => u, string s => ulong.Parse(s, CultureInfo.InvariantCulture), JsonNode n => ulong.Parse(n.ToJsonString(), CultureInfo.InvariantCulture), _ => Convert.ToUInt64(value, CultureInfo.InvariantCulture) });
                break;
            case var k when type.IsInteger:
                buffer.Append(value switch { string s => long.Parse(s, CultureInfo.InvariantCulture), JsonNode n => long.Parse(n.ToJsonString(), CultureInfo.InvariantCulture), bool b => b ? 1L : 0L, _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) });
                break;
            case LogicalKind.Float32 or LogicalKind.Float64:
                buffer.Append(value switch { string s => ParseDouble(s), JsonNode n => n.GetValueKind() == JsonValueKind.String ? ParseDouble(n.GetValue<string>()) : n.GetValue<double>(), _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) });
                break;
            case LogicalKind.Decimal:
                buffer.AppendDecimalText(DecimalText(value));
                break;
            case LogicalKind.BigDecimal:
                buffer.Append(DecimalText(value));
                break;
            case LogicalKind.Binary:
                buffer.Append(value switch { byte[] bytes => bytes, string s => Convert.FromBase64String(s), JsonNode n => Convert.FromBase64String(n.GetValue<string>()), _ => throw new InvalidCastException($"cannot read {value.GetType().Name} as bytes") });
                break;
            case LogicalKind.Date:
                AppendDate(column, value switch { DateOnly d => d, DateTime dt => DateOnly.FromDateTime(dt), _ => DateOnly.Parse(TextOf(value), CultureInfo.InvariantCulture) });
                break;
            case LogicalKind.Time:
                AppendTime(column, value switch { TimeSpan t => t, TimeOnly t => t.ToTimeSpan(), _ => TimeSpan.Parse(TextOf(value), CultureInfo.InvariantCulture) });
                break;
            case LogicalKind.Timestamp:
                AppendTimestamp(column, value switch { DateTime dt => dt, DateTimeOffset dto => dto.DateTime, _ => DateTime.Parse(TextOf(value), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) });
                break;
            case LogicalKind.TimestampTz:
                AppendTimestamp(column, value switch { DateTimeOffset dto => dto, DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)), _ => DateTimeOffset.Parse(TextOf(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) });
                break;
            case LogicalKind.Json or LogicalKind.Array:
                buffer.Append(value switch { string s => s, JsonNode n => n.ToJsonString(), JsonElement e => e.GetRawText(), _ => JsonSerializer.Serialize(value) });
                break;
            default:
                buffer.Append(TextOf(value));
                break;
        }
    }

    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static long ToUnixMicros(DateTime value) => (value.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    public static DateTime FromUnixMicros(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, DateTimeKind.Utc);
    public static DateOnly FromUnixDays(int days) => DateOnly.FromDayNumber(UnixEpochDay + days);
    public static int ToUnixDays(DateOnly date) => date.DayNumber - UnixEpochDay;

    private static string TextOf(object value) => value switch
    {
        string s => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonNode n => n.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string DecimalText(object value) => value switch
    {
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => TextOf(value),
    };

    private static bool ParseBool(string s) => s.Trim().ToLowerInvariant() switch
    {
        "true" or "t" or "1" or "yes" or "y" => true,
        "false" or "f" or "0" or "no" or "n" => false,
        _ => throw new FormatException($"'{s}' is not a boolean"),
    };

    private static double ParseDouble(string s) => s.Trim() switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" or "+Infinity" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        var t => double.Parse(t, CultureInfo.InvariantCulture),
    };
}
