using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// Canonical text of a value under a logical type, so values read back by any connector (a CSV string, a SQLite
/// integer for a boolean, a DuckDB DateTime) compare with what was written. Lossy conversions still differ: a
/// 38-digit decimal that went through a double will not match.
/// </summary>
public static class ValueCanon
{
    public static string? Of(LogicalType type, object? value)
    {
        if (value is null or DBNull)
            return null;
        if (value is JsonValue jv && jv.GetValueKind() == JsonValueKind.Null)
            return null;
        return type.Kind switch
        {
            LogicalKind.Boolean => Bool(value),
            LogicalKind.Float32 or LogicalKind.Float64 => Double(value).ToString("R", CultureInfo.InvariantCulture),
            LogicalKind.Decimal or LogicalKind.BigDecimal => DecimalText(Text(value)),
            LogicalKind.Binary => Convert.ToBase64String(Bytes(value)),
            LogicalKind.Date => Date(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            LogicalKind.Time => Time(value).ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
            LogicalKind.Timestamp => Timestamp(value, utc: false).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            LogicalKind.TimestampTz => Timestamp(value, utc: true).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            LogicalKind.Uuid => Guid.Parse(Text(value)).ToString("D"),
            LogicalKind.Json or LogicalKind.Array => Json(value),
            _ when type.IsInteger => BigInteger.Parse(DecimalText(Text(value)), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            _ => Text(value),
        };
    }

    /// <summary>Canonical texts of a whole row, keyed by column.</summary>
    public static IReadOnlyDictionary<string, string?> Row(IEnumerable<(string Column, LogicalType Type, object? Value)> values) =>
        values.ToDictionary(v => v.Column, v => Of(v.Type, v.Value));

    private static string Text(object value) => value switch
    {
        string s => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonNode n => n.ToJsonString(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Bool(object value) => value switch
    {
        bool b => b ? "true" : "false",
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "1" => "true",
            "false" or "f" or "0" => "false",
            var other => other,
        },
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "true" : "false",
    };

    private static double Double(object value) => value switch
    {
        double d => d,
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        JsonNode n => double.Parse(Text(n), CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Decimal text without a plus sign, leading zeros or trailing fractional zeros: 0012.3400 → 12.34.</summary>
    public static string DecimalText(string text)
    {
        var t = text.Trim();
        if (t.Contains('e') || t.Contains('E'))
            t = decimal.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        var negative = t.StartsWith('-');
        t = t.TrimStart('-', '+');
        var dot = t.IndexOf('.');
        var whole = (dot < 0 ? t : t[..dot]).TrimStart('0');
        var fraction = dot < 0 ? "" : t[(dot + 1)..].TrimEnd('0');
        if (whole.Length == 0)
            whole = "0";
        var result = fraction.Length == 0 ? whole : $"{whole}.{fraction}";
        return negative && result != "0" ? "-" + result : result;
    }

    private static byte[] Bytes(object value) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Memory<byte> m => m.ToArray(),
        Stream s => ReadAll(s),
        string s => Convert.FromBase64String(s),
        JsonNode n => Convert.FromBase64String(Text(n)),
        _ => throw new InvalidCastException($"cannot read {value.GetType().Name} as bytes"),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static DateOnly Date(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        DateTimeOffset dto => DateOnly.FromDateTime(dto.DateTime),
        _ => DateOnly.FromDateTime(DateTime.Parse(Text(value), CultureInfo.InvariantCulture)),
    };

    private static TimeSpan Time(object value) => value switch
    {
        TimeSpan t => t,
        TimeOnly t => t.ToTimeSpan(),
        DateTime dt => dt.TimeOfDay,
        long micros => TimeSpan.FromTicks(micros * 10),
        _ => TimeSpan.Parse(Text(value), CultureInfo.InvariantCulture),
    };

    private static DateTime Timestamp(object value, bool utc) => value switch
    {
        DateTimeOffset dto => utc ? dto.UtcDateTime : dto.DateTime,
        DateTime dt => utc && dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt,
        _ => utc
            ? DateTimeOffset.Parse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime
            : DateTime.Parse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
    };

    private static string Json(object value)
    {
        var node = value switch
        {
            JsonNode n when n.GetValueKind() != JsonValueKind.String => n,
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonNode.Parse(Text(value)),
        };
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    /// <summary>JSON with object keys sorted, so key order a database chose does not matter.</summary>
    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                        builder.Append(',');
                    first = false;
                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(child, builder);
                }
                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        builder.Append(',');
                    Write(array[i], builder);
                }
                builder.Append(']');
                break;
            default:
                var kind = node.GetValueKind();
                builder.Append(kind == JsonValueKind.Number ? DecimalText(node.ToJsonString()) : node.ToJsonString());
                break;
        }
    }
}
