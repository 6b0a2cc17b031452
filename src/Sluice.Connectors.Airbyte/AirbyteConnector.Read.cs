using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;

namespace Sluice.Connectors.Airbyte;

public sealed partial class AirbyteConnector
{
    public async IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        using var files = new ProtocolFiles(settings.Image is not null);
        var args = new List<string>
        {
            "read",
            "--config", files.Write("config.json", settings.ConnectorConfig),
            "--catalog", files.Write("catalog.json", AirbyteCatalogJson.ToJson(catalog)),
        };
        if (StateJson(state) is { } stateJson)
            args.AddRange(["--state", files.Write("state.json", stateJson)]);
        await using var process = ConnectorProcess.Start(settings, files, args, stdin: false, cancellationToken);

        // The reader batches RECORDs per stream and flushes before each STATE, so checkpoints keep following their rows.
        var reader = new AirbyteMessageReader(catalog);
        await using var messages = reader.ReadAsync(process.Stdout, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            SourceMessage message;
            try
            {
                if (!await messages.MoveNextAsync())
                    break;
                message = messages.Current;
            }
            catch (ExternalConnectorException e)
            {
                await process.SettleAsync();
                throw process.Failure($"reported an error: {e.Message}");
            }
            foreach (var line in process.DrainStderr())
                yield return new LogMessage(LogLevel.Info, line);
            yield return message;
        }
        await process.WaitForSuccessAsync(cancellationToken);
        foreach (var line in process.DrainStderr())
            yield return new LogMessage(LogLevel.Info, line);
    }

    /// <summary>The state file as Airbyte writes it: a list of STREAM states, or one GLOBAL state holding them.</summary>
    internal static JsonArray? StateJson(SyncState state)
    {
        if (state.Streams.Count == 0 && state.Global is null)
            return null;
        var streams = state.Streams.Select(s => AirbyteMessageWriter.State(new Checkpoint(s.Key, s.Value))["state"]!.DeepClone()).ToList();
        if (state.Global is null)
            return new JsonArray(streams.ToArray());
        var global = AirbyteMessageWriter.State(new Checkpoint(null, state.Global))["state"]!.DeepClone();
        global["global"]!["stream_states"] = new JsonArray(streams.Select(s => s["stream"]!.DeepClone()).ToArray());
        return new JsonArray(global);
    }
}
