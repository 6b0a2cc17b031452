using System.CommandLine;
using Sluice.Cli.Distributed;
using Sluice.Core.Connectors;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice server</c>: the API and web UI of a distributed install, stateless (no scheduler, no worker, no job runner
/// inside), so several can run behind a load balancer. Prints "server ready on URL".
/// </summary>
public static class ServerCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address to serve on, http://ADDR:PORT", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var command = new Command("server", "Run the API and web UI against a shared PostgreSQL store (stateless)") { listen };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var shutdown = new ShutdownSignal(cancellationToken);
            var text = result.GetValue(listen)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "http" || url.Host.Length == 0 || url.AbsolutePath != "/")
                throw new ConfigException("--listen", $"'{text}' is not an address to listen on", "write it like http://0.0.0.0:8000");
            var options = CommonOptions.From(result, url.Port) with
            {
                Store = ServiceOptions.RequireStore(result, "server"), Host = url.Host, RunJobs = false, CreateDemo = false, Migrate = false,
            };
            await using var app = await SluiceHost.BuildAsync(options);
            try
            {
                await app.StartAsync(shutdown.Token);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new IOException($"{text} is already in use; stop what listens there or choose another --listen", e.InnerException);
            }
            ServiceOptions.Status($"server ready on http://{options.Host}:{options.Port}");
            try
            {
                await Task.Delay(Timeout.Infinite, shutdown.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync(CancellationToken.None);
            ServiceOptions.Status("server stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
