using System.Diagnostics;
using System.Text;

namespace Sluice.Faults.Tests;

/// <summary>
/// The real <c>sluice</c> executable (built next to the tests) as a separate process, so a kill is a real SIGKILL:
/// no finally block, no rollback, no flush runs in the victim.
/// </summary>
internal sealed class SluiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SluiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static SluiceProcess Start(string dataDir, IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(dataDir);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        return new SluiceProcess(process);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string dataDir, IDictionary<string, string> env, params string[] args)
    {
        using var process = Start(dataDir, env, args);
        await process.WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, process.Output);
    }

    /// <summary>SIGKILL (Process.Kill sends it on Unix); returns false when the process had already finished.</summary>
    public async Task<bool> KillAsync()
    {
        if (_process.HasExited)
            return false;
        try { _process.Kill(entireProcessTree: false); }
        catch (InvalidOperationException) { return false; }
        await _process.WaitForExitAsync();
        return true;
    }

    public async Task WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
    }

    public void Dispose() => _process.Dispose();
}
