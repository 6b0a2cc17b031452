using System.Text.Json;
using Parquet.Schema;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>Logical types of Parquet fields (read with Parquet.Net). Types Parquet lacks (json, uuid, interval...)
/// are written as strings, with every column's logical type kept in the file's key-value metadata under
/// <see cref="MetadataKey"/>.</summary>
internal static class ParquetTypes
{
    public const string MetadataKey = "sluice.types";

    public static LogicalType LogicalTypeOf(DataField field) => field switch
    {
        DecimalDataField d => LogicalType.Decimal(d.Precision, d.Scale),
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => LogicalType.Date,
        DateTimeDataField t => t.IsAdjustedToUTC ? LogicalType.TimestampTz : LogicalType.Timestamp,
        _ => field.ClrType switch
        {
            var t when t == typeof(bool) => LogicalType.Boolean,
            var t when t == typeof(sbyte) => LogicalType.Int8,
            var t when t == typeof(short) => LogicalType.Int16,
            var t when t == typeof(int) => LogicalType.Int32,
            var t when t == typeof(long) => LogicalType.Int64,
            var t when t == typeof(byte) => LogicalType.UInt8,
            var t when t == typeof(ushort) => LogicalType.UInt16,
            var t when t == typeof(uint) => LogicalType.UInt32,
            var t when t == typeof(ulong) => LogicalType.UInt64,
            var t when t == typeof(float) => LogicalType.Float32,
            var t when t == typeof(double) => LogicalType.Float64,
            var t when t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) => LogicalType.Binary,
            var t when t == typeof(DateTime) => LogicalType.Timestamp,
            var t when t == typeof(DateOnly) => LogicalType.Date,
            var t when t == typeof(TimeSpan) || t == typeof(TimeOnly) => LogicalType.Time,
            var t when t == typeof(Guid) => LogicalType.Uuid,
            _ => LogicalType.String,
        },
    };

    public static Dictionary<string, LogicalType> DeclaredTypes(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue(MetadataKey, out var json))
            return [];
        var names = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return names.ToDictionary(p => p.Key, p => LogicalType.Parse(p.Value));
    }
}
