using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Protocol;

namespace Sluice.Connectors.Airbyte;

/// <summary>
/// Runs any connector that speaks the Airbyte protocol as a process (a local command or a Docker image), as a source
/// and as a destination. Its JSON lines are translated to and from Sluice batches and checkpoints.
/// </summary>
public sealed partial class AirbyteConnector : ISource, IDestination, IConfigDependentSpec
{
    public string Name => "airbyte";

    /// <summary>The wrapper's own spec; the external connector's config is an opaque object until <see cref="SpecAsync"/> asks it.</summary>
    public ConnectorSpec Spec() => new()
    {
        ConnectionSpecification = AirbyteConfig.Schema(),
        DocumentationUrl = "https://sluice.dev/docs/connectors/airbyte",
        SupportsIncremental = true,
        SupportedDestinationSyncModes = [DestinationSyncMode.Overwrite, DestinationSyncMode.Append, DestinationSyncMode.AppendDedup],
    };

    /// <summary>
    /// The wrapper's spec with the external connector's connectionSpecification under <c>config</c>, so its secret
    /// fields (e.g. <c>config.api_key</c>) are masked and encrypted like any built-in connector's.
    /// </summary>
    public async ValueTask<ConnectorSpec> SpecAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        var message = await RunForMessageAsync(settings, "SPEC", _ => [], cancellationToken);
        var external = message["spec"] as JsonObject ?? throw new ExternalConnectorException("external connector's SPEC message has no 'spec'");
        return Spec() with
        {
            ConnectionSpecification = AirbyteConfig.Schema(external["connectionSpecification"] as JsonObject),
            DocumentationUrl = external["documentationUrl"]?.GetValue<string>() ?? Spec().DocumentationUrl,
            SupportsIncremental = external["supportsIncremental"]?.GetValue<bool>() ?? true,
        };
    }

    public async ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        try
        {
            var settings = Parse(config);
            var message = await RunForMessageAsync(settings, "CONNECTION_STATUS", f => ["check", "--config", f.Write("config.json", settings.ConnectorConfig)], cancellationToken);
            var status = message["connectionStatus"];
            return status?["status"]?.GetValue<string>() == "SUCCEEDED"
                ? CheckResult.Success
                : CheckResult.Failed(status?["message"]?.GetValue<string>() ?? "the external connector's check failed");
        }
        catch (Exception e) when (e is ConfigException or ExternalConnectorException or ConnectorUnavailableException)
        {
            return CheckResult.Failed(e.Message);
        }
    }

    public async ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        var message = await RunForMessageAsync(settings, "CATALOG", f => ["discover", "--config", f.Write("config.json", settings.ConnectorConfig)], cancellationToken);
        // Without x-sluice-columns, each json_schema property maps to a logical type by JsonSchemaTypes.FromJsonSchema.
        return AirbyteCatalogJson.ParseCatalog(message["catalog"] ?? throw new ExternalConnectorException("external connector's CATALOG message has no 'catalog'"));
    }

    /// <summary>Runs one protocol command and returns its first message of <paramref name="type"/>, failing clearly otherwise.</summary>
    private static async Task<JsonObject> RunForMessageAsync(AirbyteConfig settings, string type,
        Func<ProtocolFiles, string[]> arguments, CancellationToken cancellationToken)
    {
        using var files = new ProtocolFiles(settings.Image is not null);
        var args = arguments(files);
        await using var process = ConnectorProcess.Start(settings, files, args.Length == 0 ? ["spec"] : args, stdin: false, cancellationToken);
        JsonObject? found = null;
        while (await process.ReadLineAsync(cancellationToken) is { } line)
        {
            if (ParseLine(line) is not { } message)
                continue;
            var messageType = message["type"]?.GetValue<string>();
            if (messageType == type)
                found ??= message;
            else if (IsErrorTrace(message))
                throw await FailAsync(process, message);
        }
        await process.WaitForSuccessAsync(cancellationToken);
        return found ?? throw process.Failure($"printed no {type} message");
    }

    private static bool IsErrorTrace(JsonObject message) =>
        message["type"]?.GetValue<string>() == "TRACE" && message["trace"]?["type"]?.GetValue<string>() == "ERROR";

    internal static JsonObject? ParseLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{')
            return null;
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<ExternalConnectorException> FailAsync(ConnectorProcess process, JsonObject errorTrace)
    {
        await process.SettleAsync();
        var error = errorTrace["trace"]?["error"];
        var text = error?["message"]?.GetValue<string>() ?? "unknown error";
        if (error?["internal_message"]?.GetValue<string>() is { } detail)
            text += $" ({detail})";
        return process.Failure($"reported an error: {text}");
    }

    private AirbyteConfig Parse(JsonObject config)
    {
        ConfigValidator.Validate(Spec(), config, Name);
        return AirbyteConfig.From(config);
    }
}
