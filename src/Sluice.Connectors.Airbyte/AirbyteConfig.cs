using System.Text.Json.Nodes;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Airbyte;

/// <summary>
/// How to start an external Airbyte-protocol connector: a local command, or a Docker image, plus the connector's own
/// config (passed to it as <c>--config FILE</c>).
/// </summary>
internal sealed record AirbyteConfig(
    string? Command,
    IReadOnlyList<string> Args,
    string? Image,
    IReadOnlyDictionary<string, string> Env,
    string? WorkingDirectory,
    JsonObject ConnectorConfig)
{
    public static JsonObject Schema(JsonObject? connectorSpecification = null) => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["command"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["description"] = "Executable of the external connector, e.g. python3 or /opt/source-foo/main; set this or image",
            },
            ["args"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string" },
                ["description"] = "Arguments placed before the protocol command (spec, check, discover, read, write)",
            },
            ["image"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["description"] = "Docker image of the connector, run with docker run --rm -i; set this or command",
            },
            ["env"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
                ["description"] = "Environment variables for the connector process",
            },
            ["working_dir"] = new JsonObject { ["type"] = "string", ["description"] = "Working directory of the connector process" },
            ["config"] = connectorSpecification?.DeepClone() ?? new JsonObject
            {
                ["type"] = "object",
                ["description"] = "The external connector's own config, validated by the connector itself",
            },
        },
    };

    public static AirbyteConfig From(JsonObject config)
    {
        var command = config["command"]?.GetValue<string>();
        var image = config["image"]?.GetValue<string>();
        if (command is null && image is null)
            throw new ConfigException("command", "neither command nor image is set", "set command (a local executable) or image (a Docker image)");
        if (command is not null && image is not null)
            throw new ConfigException("image", "both command and image are set", "set only one of them");
        var args = (config["args"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToList() ?? [];
        var env = (config["env"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        var workingDir = config["working_dir"]?.GetValue<string>();
        if (workingDir is not null && !Directory.Exists(workingDir))
            throw new ConfigException("working_dir", $"directory '{workingDir}' does not exist", "create it or fix the path");
        return new AirbyteConfig(command, args, image, env, workingDir, config["config"] as JsonObject ?? []);
    }

    public string Describe => Image is not null ? $"image {Image}" : string.Join(' ', [Command!, .. Args]);
}
