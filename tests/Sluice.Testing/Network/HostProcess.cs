using System.Diagnostics;
using Xunit.Abstractions;

namespace Sluice.Testing.Network;

/// <summary>
/// A process started on a <see cref="NetworkHost"/>. Its output is kept line by line (with the time each line was
/// seen) so tests can wait for a process's stable status lines, and echoed to the test output with the host's name.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(DateTimeOffset At, string Line)> _lines = [];
    private readonly ITestOutputHelper? _output;
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal HostProcess(NetworkHost host, string label, ProcessStartInfo psi, ITestOutputHelper? output)
    {
        Host = host;
        Label = label;
        _output = output;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => Notify();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public NetworkHost Host { get; }
    public string Label { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<(DateTimeOffset At, string Line)> Lines
    {
        get
        {
            lock (_gate)
                return [.. _lines];
        }
    }

    public string Output => string.Join('\n', Lines.Select(l => l.Line));

    /// <summary>Waits for an output line (from the start) that matches; returns it with the time it was seen.</summary>
    public Task<(DateTimeOffset At, string Line)> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) => WaitForLineAsync(match, 0, timeout);

    /// <summary>Waits for a matching line among those from index <paramref name="from"/> on (see <see cref="LineCount"/>).</summary>
    public async Task<(DateTimeOffset At, string Line)> WaitForLineAsync(Func<string, bool> match, int from, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = from; i < _lines.Count; i++)
                    if (match(_lines[i].Line))
                        return _lines[i];
                changed = _changed.Task;
            }
            if (_process.HasExited)
            {
                // The exit can be seen before the last lines are: wait for the end of the streams once more.
                _process.WaitForExit();
                lock (_gate)
                    for (var i = from; i < _lines.Count; i++)
                        if (match(_lines[i].Line))
                            return _lines[i];
                throw new InvalidOperationException($"{Label} on {Host.Name} exited with {_process.ExitCode} before the expected line; output:\n{Tail(Output)}");
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Label} on {Host.Name}: no expected line within {timeout.TotalSeconds:0}s; output:\n{Tail(Output)}");
            }
        }
    }

    public int LineCount
    {
        get
        {
            lock (_gate)
                return _lines.Count;
        }
    }

    /// <summary>
    /// kill -9: the process gets no chance to clean up, like a machine that loses power; with <paramref name="tree"/>
    /// its children (the commands a worker runs) die with it.
    /// </summary>
    public void KillHard(bool tree = true)
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: tree);
    }

    /// <summary>SIGTERM, the polite stop a service manager sends.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
            ProcessRunner.RunAsync("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).GetAwaiter().GetResult();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            KillHard();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _lines.Add((DateTimeOffset.UtcNow, line));
        try
        {
            _output?.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss.fff} {Host.Name}/{Label}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has ended; its output helper no longer takes lines.
        }
        Notify();
    }

    private void Notify()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
