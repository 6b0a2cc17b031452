using System.Diagnostics;
using System.Text;

namespace Sluice.Ui.Tests;

/// <summary>
/// <c>sluice standalone</c> run as its own process from the sluice.dll built next to the tests: the UI is tested
/// against the server people run, with its SQLite metadata, scheduler and job runner, not an in-process copy. Also a
/// <c>sluice worker</c> registered in that store, for the workers page.
/// </summary>
internal sealed class StandaloneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private StandaloneProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the server and returns once /healthz answers (a cold start on a loaded machine takes seconds).</summary>
    public static async Task<StandaloneProcess> StartAsync(string dataDir, int port, string adminPassword)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "standalone", "--port", port.ToString(), "--data-dir", dataDir })
            psi.ArgumentList.Add(arg);
        psi.Environment["SLUICE_ADMIN_PASSWORD"] = adminPassword;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("SLUICE_STORE");
        psi.Environment.Remove("SLUICE_MASTER_KEY");
        var server = new StandaloneProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet sluice.dll standalone"));
        server._process.StandardInput.Close();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (server._process.HasExited)
                throw new InvalidOperationException($"sluice standalone exited with {server._process.ExitCode}:\n{server.Output}");
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
        await server.DisposeAsync();
        throw new TimeoutException($"sluice standalone did not answer /healthz within 2 minutes:\n{server.Output}");
    }

    /// <summary>Starts <c>sluice worker</c> on the standalone's store and returns once it says it is ready.</summary>
    public static async Task<StandaloneProcess> StartWorkerAsync(string dataDir, string id, string queue, string labels)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "worker", "--store", Path.Combine(dataDir, "sluice.db"), "--data-dir", dataDir,
            "--id", id, "--queues", queue, "--slots", "2", "--labels", labels })
            psi.ArgumentList.Add(arg);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("SLUICE_STORE");
        var worker = new StandaloneProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet sluice.dll worker"));
        worker._process.StandardInput.Close();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!worker.Output.Contains($"worker {id} ready", StringComparison.Ordinal))
        {
            if (worker._process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = worker.Output;
                await worker.DisposeAsync();
                throw new InvalidOperationException($"sluice worker did not get ready:\n{output}");
            }
            await Task.Delay(200);
        }
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
