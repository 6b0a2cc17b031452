using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Sources;

namespace Sluice.Connectors.Postgres;

/// <summary>The config JSON Schema, with Airbyte's Postgres source and destination key names so configs carry over.</summary>
internal static class PostgresSpec
{
    public static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    public static ConnectorSpec Create() => new()
    {
        DocumentationUrl = "https://sluice.dev/docs/connectors/postgres",
        SupportsIncremental = true,
        SupportedDestinationSyncModes = [DestinationSyncMode.Overwrite, DestinationSyncMode.Append, DestinationSyncMode.AppendDedup],
        ConnectionSpecification = Schema(),
    };

    private static JsonObject Schema() => new()
    {
        ["$schema"] = "http://json-schema.org/draft-07/schema#",
        ["title"] = "PostgreSQL",
        ["type"] = "object",
        ["required"] = new JsonArray("host", "database", "username"),
        ["properties"] = new JsonObject
        {
            ["host"] = Property("string", "Host", "Hostname or IP address of the PostgreSQL server.", order: 0, extra: new() { ["minLength"] = 1 }),
            ["port"] = Property("integer", "Port", "Port of the PostgreSQL server.", order: 1, extra: new() { ["default"] = 5432, ["minimum"] = 1, ["maximum"] = 65535 }),
            ["database"] = Property("string", "Database", "Name of the database to connect to.", order: 2, extra: new() { ["minLength"] = 1 }),
            ["username"] = Property("string", "Username", "User to connect as.", order: 3, extra: new() { ["minLength"] = 1 }),
            ["password"] = Property("string", "Password", "Password of the user.", order: 4, extra: new() { ["airbyte_secret"] = true }),
            ["ssl_mode"] = SslMode(),
            ["schemas"] = Property("array", "Schemas", "Source: the schemas whose tables and views are discovered.", order: 6, extra: new()
            {
                ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                ["minItems"] = 1,
                ["uniqueItems"] = true,
                ["default"] = new JsonArray("public"),
            }),
            ["checkpoint_rows"] = Property("integer", "Checkpoint rows", "Source: rows read per primary-key range; a checkpoint follows each range. A table without a primary key is read in ranges of heap pages (ctid) holding about as many rows by its statistics, at most 128 MB each.", order: 8, extra: new() { ["default"] = 50_000, ["minimum"] = 1 }),
            [CheckpointSeconds.Field] = Property("number", "Checkpoint seconds", CheckpointSeconds.Description, order: 9, extra: new() { ["default"] = CheckpointSeconds.Default, ["minimum"] = CheckpointSeconds.Minimum }),
            ["schema"] = Property("string", "Default schema", "Destination: the schema tables are written to when a stream names none.", order: 7, extra: new() { ["default"] = "public", ["minLength"] = 1 }),
        },
    };

    private static JsonObject SslMode()
    {
        var modes = new JsonArray(SslModes.Select(m => (JsonNode)m).ToArray());
        return new JsonObject
        {
            ["title"] = "SSL mode",
            ["description"] = "How to use TLS: disable, allow, prefer, require, verify-ca or verify-full; a string or Airbyte's {\"mode\": \"...\"} object.",
            ["order"] = 5,
            ["default"] = "prefer",
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["enum"] = modes.DeepClone() },
                new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("mode"),
                    ["properties"] = new JsonObject { ["mode"] = new JsonObject { ["type"] = "string", ["enum"] = modes.DeepClone() } },
                }),
        };
    }

    private static JsonObject Property(string type, string title, string description, int order, JsonObject? extra = null)
    {
        var property = new JsonObject { ["type"] = type, ["title"] = title, ["description"] = description, ["order"] = order };
        foreach (var (key, value) in extra ?? [])
            property[key] = value?.DeepClone();
        return property;
    }
}
