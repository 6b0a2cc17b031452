using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice standalone</c>: API, scheduler and worker in one process, SQLite metadata in the data dir.</summary>
public static class StandaloneCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1", DefaultValueFactory = _ => 8000 };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not create the sample demo connection on first start" };
        var command = new Command("standalone", "Run Sluice in one process: API, job runner, SQLite metadata") { port, host, noDemo };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = CommonOptions.From(result, result.GetValue(port), demo: !result.GetValue(noDemo), runJobs: true) with { Host = result.GetValue(host)! };
            await using var app = await SluiceHost.BuildAsync(options);
            AnsiConsole.MarkupLine($"[green]Sluice[/] standalone on [link]http://{options.Host}:{options.Port}[/]  (data: {Markup.Escape(options.DataDir)})");
            AnsiConsole.MarkupLine($"  API docs: http://{options.Host}:{options.Port}/openapi/v1.json   try: sluice sync demo --data-dir {Markup.Escape(options.DataDir)}");
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new IOException($"port {options.Port} on {options.Host} is already in use (another Sluice?); stop it or choose another with --port", e.InnerException);
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
