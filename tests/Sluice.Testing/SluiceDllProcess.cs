using System.Diagnostics;
using System.Text;

namespace Sluice.Testing;

/// <summary>
/// The real <c>sluice</c> executable (the sluice.dll built next to the tests) as a separate process with its output
/// captured, so tests see what people run and a kill is a real SIGKILL: no finally block, no rollback, no flush runs in it.
/// </summary>
public sealed class SluiceDllProcess : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SluiceDllProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
    }

    /// <summary>Standard output and error, interleaved as they arrived.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet sluice.dll args</c> with NO_COLOR; an <paramref name="env"/> value of null removes that variable.</summary>
    public static SluiceDllProcess Start(IEnumerable<string> args, IEnumerable<KeyValuePair<string, string?>> env)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in env)
        {
            if (value is null)
                psi.Environment.Remove(name);
            else
                psi.Environment[name] = value;
        }
        return new SluiceDllProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet sluice.dll"));
    }

    /// <summary>SIGKILL (Process.Kill sends it on Unix); returns false when the process had already finished.</summary>
    public async Task<bool> KillAsync(bool entireProcessTree = false)
    {
        if (_process.HasExited)
            return false;
        try
        {
            _process.Kill(entireProcessTree);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
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

    /// <summary>Kills what still runs (with its children) and releases the process.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync(entireProcessTree: true);
        _process.Dispose();
    }
}
