using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Distributed.Tests;

/// <summary>
/// One <c>sluice</c> process (the real executable built next to the tests), with its stdout lines kept for waiting
/// on the stable status lines ("worker w1 ready", "scheduler s1 is active (token 3)") and real signals: SIGKILL,
/// SIGSTOP/SIGCONT (a frozen host), SIGTERM (a drain).
/// </summary>
internal sealed class SluiceNode : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly List<(DateTimeOffset At, string Line)> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private SluiceNode(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stdout)
                _stdout.Add((DateTimeOffset.UtcNow, e.Data));
            _lineArrived.Release();
        };
        process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public string Stdout { get { lock (_stdout) return string.Join("\n", _stdout.Select(l => l.Line)); } }
    public string Output => $"--- {Name} stdout\n{Stdout}\n--- {Name} stderr\n{Stderr}";

    public static SluiceNode Start(string name, string dataDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(dataDir);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["SLUICE_ADMIN_PASSWORD"] = Cluster.AdminPassword;
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        return new SluiceNode(name, process);
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/> (from the start of the output); returns it and when it was read.</summary>
    public async Task<(DateTimeOffset At, Match Match)> WaitForLineAsync(string pattern, TimeSpan timeout, int skip = 0)
    {
        var regex = new Regex(pattern);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            lock (_stdout)
            {
                var found = _stdout.Select(l => (l.At, Match: regex.Match(l.Line))).Where(l => l.Match.Success).Skip(skip).FirstOrDefault();
                if (found.Match is not null)
                    return found;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing /{pattern}/\n{Output}");
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"{Name} did not print /{pattern}/ within {timeout.TotalSeconds} s\n{Output}");
            await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public bool Printed(string pattern) => Stdout.Split('\n').Any(l => Regex.IsMatch(l, pattern));

    public void Kill() => Signal(SigKill);
    public void Terminate() => Signal(SigTerm);
    public void Freeze() => Signal(SigStop);
    public void Thaw() => Signal(SigCont);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigCont);
            Signal(SigKill);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    // The kill program rather than P/Invoke: a signal is one call, and this keeps the tests free of unsafe code.
    private void Signal(int signal)
    {
        if (_process.HasExited)
            return;
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
