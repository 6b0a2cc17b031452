using System.Text.Json.Nodes;

namespace Sluice.Core.Types;

/// <summary>Maps logical types to the JSON Schema types (with Airbyte's <c>airbyte_type</c> hints) a record schema uses.</summary>
public static class JsonSchemaTypes
{
    public static JsonObject For(LogicalType type, bool nullable)
    {
        var schema = Base(type);
        schema["x-sluice-type"] = type.ToString();
        if (nullable && schema["type"] is JsonValue single)
            schema["type"] = new JsonArray("null", single.GetValue<string>());
        return schema;
    }

    private static JsonObject Base(LogicalType type) => type.Kind switch
    {
        LogicalKind.Boolean => new() { ["type"] = "boolean" },
        LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.Int64
            or LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64
            => new() { ["type"] = "integer", ["airbyte_type"] = "integer" },
        LogicalKind.Float32 or LogicalKind.Float64 => new() { ["type"] = "number" },
        LogicalKind.Decimal or LogicalKind.BigDecimal => new() { ["type"] = "number" },
        LogicalKind.Binary => new() { ["type"] = "string", ["contentEncoding"] = "base64" },
        LogicalKind.Date => new() { ["type"] = "string", ["format"] = "date" },
        LogicalKind.Time => new() { ["type"] = "string", ["format"] = "time", ["airbyte_type"] = "time_without_timezone" },
        LogicalKind.TimeTz => new() { ["type"] = "string", ["format"] = "time", ["airbyte_type"] = "time_with_timezone" },
        LogicalKind.Timestamp => new() { ["type"] = "string", ["format"] = "date-time", ["airbyte_type"] = "timestamp_without_timezone" },
        LogicalKind.TimestampTz => new() { ["type"] = "string", ["format"] = "date-time", ["airbyte_type"] = "timestamp_with_timezone" },
        LogicalKind.Uuid => new() { ["type"] = "string", ["format"] = "uuid" },
        LogicalKind.Json => new() { ["type"] = new JsonArray("object", "array", "string", "number", "boolean") },
        LogicalKind.Array => new() { ["type"] = "array", ["items"] = For(type.Element ?? LogicalType.String, true) },
        _ => new() { ["type"] = "string" },
    };

    /// <summary>Best logical type for a JSON schema property written by another tool (an external Airbyte connector).</summary>
    public static LogicalType FromJsonSchema(JsonNode? property)
    {
        if (property is not JsonObject p)
            return LogicalType.Json;
        if (p["x-sluice-type"] is JsonValue sluiceType && sluiceType.TryGetValue<string>(out var text))
            return LogicalType.Parse(text);
        var types = p["type"] switch
        {
            JsonValue v => [v.GetValue<string>()],
            JsonArray a => a.Select(n => n?.GetValue<string>() ?? "null").Where(s => s != "null").ToArray(),
            _ => Array.Empty<string>(),
        };
        if (types.Length != 1)
            return LogicalType.Json;
        var airbyteType = p["airbyte_type"]?.GetValue<string>();
        var format = p["format"]?.GetValue<string>();
        return types[0] switch
        {
            "boolean" => LogicalType.Boolean,
            "integer" => LogicalType.Int64,
            "number" => airbyteType == "integer" ? LogicalType.Int64 : LogicalType.BigDecimal,
            "string" => (format, airbyteType) switch
            {
                ("date", _) => LogicalType.Date,
                ("date-time", "timestamp_without_timezone") => LogicalType.Timestamp,
                ("date-time", _) => LogicalType.TimestampTz,
                ("time", "time_with_timezone") => LogicalType.TimeTz,
                ("time", _) => LogicalType.Time,
                ("uuid", _) => LogicalType.Uuid,
                _ when p["contentEncoding"]?.GetValue<string>() == "base64" => LogicalType.Binary,
                _ => LogicalType.String,
            },
            "array" => LogicalType.ArrayOf(FromJsonSchema(p["items"]) is var e && e.Kind != LogicalKind.Json ? e : LogicalType.Json),
            _ => LogicalType.Json,
        };
    }
}
