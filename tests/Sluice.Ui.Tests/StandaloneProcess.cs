using Sluice.Testing;

namespace Sluice.Ui.Tests;

/// <summary>
/// <c>sluice standalone</c> run as its own process (<see cref="SluiceDllProcess"/>): the UI is tested against the server
/// people run, with its SQLite metadata, scheduler and job runner, not an in-process copy. Also a <c>sluice worker</c>
/// registered in that store, for the workers page.
/// </summary>
internal static class StandaloneProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Starts the server and returns once /healthz answers (a cold start on a loaded machine takes seconds).</summary>
    public static async Task<SluiceDllProcess> StartAsync(string dataDir, int port, string adminPassword)
    {
        var server = SluiceDllProcess.Start(
            ["standalone", "--port", port.ToString(), "--data-dir", dataDir],
            [new("SLUICE_ADMIN_PASSWORD", adminPassword), new("SLUICE_STORE", null), new("SLUICE_MASTER_KEY", null)]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
                throw new InvalidOperationException($"sluice standalone exited with {server.ExitCode}:\n{server.Output}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        var output = server.Output;
        await server.DisposeAsync();
        throw new TimeoutException($"sluice standalone did not answer /healthz within {StartTimeout.TotalMinutes} minutes:\n{output}");
    }

    /// <summary>Starts <c>sluice worker</c> on the standalone's store and returns once it says it is ready.</summary>
    public static async Task<SluiceDllProcess> StartWorkerAsync(string dataDir, string id, string queue, string labels)
    {
        var worker = SluiceDllProcess.Start(
            ["worker", "--store", Path.Combine(dataDir, "sluice.db"), "--data-dir", dataDir, "--id", id, "--queues", queue, "--slots", "2", "--labels", labels],
            [new("SLUICE_STORE", null)]);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!worker.Output.Contains($"worker {id} ready", StringComparison.Ordinal))
        {
            if (worker.HasExited || DateTime.UtcNow > deadline)
            {
                var output = worker.Output;
                await worker.DisposeAsync();
                throw new InvalidOperationException($"sluice worker did not get ready:\n{output}");
            }
            await Task.Delay(200);
        }
        return worker;
    }
}
