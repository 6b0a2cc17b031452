using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;
using Sluice.Server.Definitions;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice connectors list</c> and <c>sluice connector spec|check|discover|read|write NAME</c>: every built-in
/// connector driven like an Airbyte connector, printing Airbyte protocol JSON lines.
/// </summary>
public static class ConnectorCommands
{
    public static Command CreateList()
    {
        var list = new Command("list", "List built-in connectors");
        list.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "source", "destination");
            foreach (var c in BuiltInConnectors.Registry().All.OrderBy(c => c.Name))
                table.AddRow(c.Name, c is ISource ? "yes" : "", c is IDestination ? "yes" : "");
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return new Command("connectors", "The connector catalogue") { list };
    }

    public static Command Create()
    {
        var command = new Command("connector", "Run one connector operation, Airbyte protocol style");
        var name = new Argument<string>("name") { Description = "Connector name, e.g. postgres" };
        var config = new Option<string?>("--config") { Description = "Config file (JSON or YAML)" };
        var catalog = new Option<string?>("--catalog") { Description = "Configured catalog file (JSON); default: every discovered stream" };
        var state = new Option<string?>("--state") { Description = "State file (JSON) to resume from" };

        var specConfig = new Option<string?>("--config") { Description = "Config file: for airbyte, the external connector's own spec is run and shown" };
        var spec = new Command("spec", "Print the connector's spec") { name, specConfig };
        spec.SetAction((result, ct) => Protocol(async () =>
        {
            var connector = Registry().Get(result.GetValue(name)!);
            var cfg = result.GetValue(specConfig) is { } path ? LoadConfig(path) : null;
            Write(AirbyteMessageWriter.Spec(cfg is null ? connector.Spec() : await ConnectorSpecs.ForConfigAsync(connector, cfg, ct)));
            return ExitCodes.Success;
        }));

        var check = new Command("check", "Check a config against the real system") { name, config };
        check.SetAction((result, ct) => Protocol(async () =>
        {
            var connector = Registry().Get(result.GetValue(name)!);
            var cfg = LoadConfig(result.GetValue(config));
            var errors = ConfigValidator.Errors(await ConnectorSpecs.ForConfigAsync(connector, cfg, ct), cfg, connector.Name);
            var status = errors.Count > 0 ? CheckResult.Failed(string.Join("; ", errors.Select(e => e.Message))) : await connector.CheckAsync(cfg, ct);
            Write(AirbyteMessageWriter.ConnectionStatus(status));
            return status.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        }));

        var discover = new Command("discover", "Print the source's catalog") { name, config };
        discover.SetAction((result, ct) => Protocol(async () =>
        {
            var source = Registry().Source(result.GetValue(name)!);
            Write(AirbyteMessageWriter.Catalog(await source.DiscoverAsync(LoadConfig(result.GetValue(config)), ct)));
            return ExitCodes.Success;
        }));

        var read = new Command("read", "Read records and state messages") { name, config, catalog, state };
        read.SetAction((result, ct) => Protocol(async () =>
        {
            var source = Registry().Source(result.GetValue(name)!);
            var cfg = LoadConfig(result.GetValue(config));
            var configured = result.GetValue(catalog) is { } path
                ? AirbyteCatalogJson.ParseConfiguredCatalog(LoadJson(path))
                : ConfiguredCatalog.AllStreams(await source.DiscoverAsync(cfg, ct));
            var syncState = result.GetValue(state) is { } statePath ? AirbyteMessageReader.ParseStateFile(LoadJson(statePath)) : SyncState.Empty;
            var writer = new AirbyteMessageWriter(Stdout);
            await foreach (var message in source.ReadAsync(cfg, configured, syncState, ct))
                writer.Write(message);
            return ExitCodes.Success;
        }));

        var write = new Command("write", "Write Airbyte messages from stdin; print each STATE once committed") { name, config, catalog };
        write.SetAction((result, ct) => Protocol(async () =>
        {
            var destination = Registry().Destination(result.GetValue(name)!);
            var cfg = LoadConfig(result.GetValue(config));
            var configured = AirbyteCatalogJson.ParseConfiguredCatalog(LoadJson(result.GetValue(catalog) ?? throw new ConfigException("--catalog", "is required for write", "pass the configured catalog the records follow")));
            var reader = new AirbyteMessageReader(configured);
            var context = new WriteContext(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), DateTimeOffset.UtcNow);
            await foreach (var committed in destination.WriteAsync(cfg, configured, reader.ReadAsync(Console.In, ct), context, ct))
            {
                // A printed STATE promises everything before it is committed: flush it now, so a caller that is
                // killed right after still resumes from what it saw.
                Write(AirbyteMessageWriter.State(committed));
                await Stdout.FlushAsync(ct);
            }
            return ExitCodes.Success;
        }));

        command.Subcommands.Add(spec);
        command.Subcommands.Add(check);
        command.Subcommands.Add(discover);
        command.Subcommands.Add(read);
        command.Subcommands.Add(write);
        return command;
    }

    private static readonly TextWriter Stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };

    private static ConnectorRegistry Registry() => BuiltInConnectors.Registry();

    private static void Write(JsonObject message) => new AirbyteMessageWriter(Stdout).Write(message);

    /// <summary>Errors become an Airbyte ERROR trace on stdout (and the usual message on stderr), as connectors report them.</summary>
    private static async Task<int> Protocol(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failureType = e is ConfigException or FormatException ? "config_error" : e is ConnectorUnavailableException ? "transient_error" : "system_error";
            Write(new AirbyteMessageWriter(Stdout).Error(Engine.Jobs.ErrorText.Describe(e), failureType));
            return CliErrors.Report(e);
        }
        finally
        {
            await Stdout.FlushAsync();
        }
    }

    private static JsonObject LoadConfig(string? path) =>
        path is null ? new JsonObject() : LoadJson(path) as JsonObject ?? throw new ConfigException("--config", "must hold a JSON or YAML object", null);

    private static JsonNode LoadJson(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException(path, "file not found", "check the path");
        var text = File.ReadAllText(path);
        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return YamlJson.Parse(text, path).FirstOrDefault() ?? new JsonObject();
        }
    }
}
