using System.Diagnostics;

namespace Sluice.Cli.Tests.Conformance;

/// <summary>A running <c>sluice</c> process fed through stdin line by line, for checking when each output line appears.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    public CliSession(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        _process = Process.Start(psi)!;
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public List<string> Lines { get; } = [];

    public async Task SendAsync(IEnumerable<string> lines)
    {
        foreach (var line in lines)
            await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads stdout until a line containing <paramref name="marker"/>; null when the output ends first.</summary>
    public async Task<string?> ReadUntilAsync(string marker, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            Lines.Add(line);
            if (line.Contains(marker, StringComparison.Ordinal))
                return line;
        }
        return null;
    }

    public async Task<(int ExitCode, string Stderr)> FinishAsync()
    {
        _process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            Lines.Add(line);
        await _process.WaitForExitAsync(cts.Token);
        return (_process.ExitCode, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
