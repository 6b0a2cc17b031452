using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Sources;

namespace Sluice.Connectors.MySql;

/// <summary>The config spec, key for key compatible with Airbyte's MySQL source and destination.</summary>
internal static class MySqlSpec
{
    public static readonly string[] SslModes = ["preferred", "required", "verify_ca", "verify_identity", "disabled"];
    public static readonly string[] LoadMethods = ["auto", "load_data", "insert"];

    public static ConnectorSpec Create() => new()
    {
        DocumentationUrl = "https://sluice.dev/docs/connectors/mysql",
        SupportsIncremental = true,
        SupportedDestinationSyncModes = [DestinationSyncMode.Overwrite, DestinationSyncMode.Append, DestinationSyncMode.AppendDedup],
        ConnectionSpecification = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "MySQL / MariaDB",
            ["type"] = "object",
            ["required"] = new JsonArray("host", "database", "username"),
            // Airbyte configs carry extra keys (replication_method, tunnel_method, jdbc_url_params); accept them.
            ["additionalProperties"] = true,
            ["properties"] = new JsonObject
            {
                ["host"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["description"] = "Hostname or IP address of the server", ["order"] = 0 },
                ["port"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535, ["default"] = 3306, ["description"] = "Port of the server", ["order"] = 1 },
                ["database"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["description"] = "Database (schema) to read from or write to", ["order"] = 2 },
                ["username"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["description"] = "User name", ["order"] = 3 },
                ["password"] = new JsonObject { ["type"] = "string", ["airbyte_secret"] = true, ["description"] = "Password", ["order"] = 4 },
                ["ssl_mode"] = SslModeSchema(),
                ["load_method"] = new JsonObject
                {
                    ["type"] = "string", ["enum"] = new JsonArray(LoadMethods.Select(m => (JsonNode)m).ToArray()), ["default"] = "auto",
                    ["description"] = "Destination only: how rows are loaded; auto uses LOAD DATA LOCAL INFILE when the server allows it, else multi-row INSERT",
                    ["order"] = 6,
                },
                ["checkpoint_rows"] = new JsonObject
                {
                    ["type"] = "integer", ["minimum"] = 1, ["default"] = MySqlConfig.DefaultCheckpointRows,
                    ["description"] = "Source only: rows read per primary-key (or cursor and key) range; a checkpoint follows each range, so a failed sync resumes after the last committed one",
                    ["order"] = 7,
                },
                [CheckpointSeconds.Field] = WithOrder(CheckpointSeconds.Schema(), 8),
            },
        },
    };

    private static JsonObject WithOrder(JsonObject property, int order)
    {
        property["order"] = order;
        return property;
    }

    // Airbyte's source takes an object {"mode": ...}, its older destination a plain string: take either.
    private static JsonObject SslModeSchema()
    {
        var modes = new JsonArray(SslModes.Select(m => (JsonNode)m).ToArray());
        return new JsonObject
        {
            ["description"] = "TLS: preferred (default), required, verify_ca, verify_identity or disabled",
            ["order"] = 5,
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["enum"] = modes.DeepClone() },
                new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("mode"),
                    ["properties"] = new JsonObject
                    {
                        ["mode"] = new JsonObject { ["type"] = "string", ["enum"] = modes.DeepClone() },
                        ["ca_certificate"] = new JsonObject { ["type"] = "string", ["airbyte_secret"] = true, ["description"] = "PEM of the CA that signed the server certificate (verify_ca, verify_identity)" },
                    },
                }),
        };
    }
}
