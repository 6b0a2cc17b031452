using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;

namespace Sluice.Connectors.Airbyte;

public sealed partial class AirbyteConnector
{
    /// <summary>
    /// Streams the messages to the process's stdin while reading its stdout; each STATE it echoes back is a committed
    /// checkpoint (an Airbyte destination echoes a state only once everything before it is durable).
    /// </summary>
    public async IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        using var files = new ProtocolFiles(settings.Image is not null);
        string[] args =
        [
            "write",
            "--config", files.Write("config.json", settings.ConnectorConfig),
            "--catalog", files.Write("catalog.json", AirbyteCatalogJson.ToJson(catalog)),
        ];
        await using var process = ConnectorProcess.Start(settings, files, args, stdin: true, cancellationToken);
        using var pumpCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => PumpAsync(process, messages, pumpCancel.Token), CancellationToken.None);
        try
        {
            while (await process.ReadLineAsync(cancellationToken) is { } line)
            {
                if (ParseLine(line) is not { } message)
                    continue;
                switch (message["type"]?.GetValue<string>())
                {
                    case "STATE" when message["state"] is { } state:
                        foreach (var checkpoint in AirbyteMessageReader.ParseState(state))
                            yield return checkpoint;
                        break;
                    case "TRACE" when IsErrorTrace(message):
                        throw await FailAsync(process, message);
                }
            }
            await AwaitPumpAsync(process, pump, cancellationToken);
            await process.WaitForSuccessAsync(cancellationToken);
        }
        finally
        {
            await pumpCancel.CancelAsync();
        }
    }

    /// <summary>A source failure wins over the process's reaction to it; a broken pipe means the process died first.</summary>
    private static async Task AwaitPumpAsync(ConnectorProcess process, Task pump, CancellationToken cancellationToken)
    {
        try
        {
            await pump;
        }
        catch (IOException)
        {
            await process.WaitForSuccessAsync(cancellationToken);
            throw process.Failure("stopped reading its input");
        }
    }

    private static async Task PumpAsync(ConnectorProcess process, IAsyncEnumerable<SourceMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            var writer = new AirbyteMessageWriter(process.Stdin);
            await foreach (var message in messages.WithCancellation(cancellationToken))
            {
                // Logs and estimates are for Sluice, not for the destination.
                if (message is LogMessage or EstimateMessage)
                    continue;
                writer.Write(message);
                // A state must reach the destination now, or it cannot echo it until the buffer happens to fill.
                if (message is CheckpointMessage or StreamStatusMessage)
                    await process.Stdin.FlushAsync(cancellationToken);
            }
            await process.Stdin.FlushAsync(cancellationToken);
            process.Stdin.Close();
        }
        catch (Exception e) when (e is not IOException)
        {
            // Killing (not closing stdin) keeps the destination from committing the rows of a failed source.
            process.Kill();
            throw;
        }
    }
}
