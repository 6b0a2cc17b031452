using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Sluice.Core.Protocol;

namespace Sluice.Connectors.Airbyte;

/// <summary>
/// One run of an external connector. Stdout is read line by line (never buffered whole), stderr is drained in the
/// background into a bounded log channel and a tail kept for error messages, and the whole process tree is killed on
/// cancellation or disposal so a cancelled sync leaves no orphans behind.
/// </summary>
internal sealed class ConnectorProcess : IAsyncDisposable
{
    private const int TailLines = 20;
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly Channel<string> _stderrLines = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Task _stderrPump;
    private readonly CancellationTokenRegistration _cancellation;
    private readonly string _describe;

    private ConnectorProcess(Process process, string describe, CancellationToken cancellationToken)
    {
        _process = process;
        _describe = describe;
        _stderrPump = PumpStderrAsync();
        _cancellation = cancellationToken.Register(Kill);
    }

    public static ConnectorProcess Start(AirbyteConfig config, ProtocolFiles files, IReadOnlyList<string> arguments, bool stdin, CancellationToken cancellationToken)
    {
        var psi = config.Image is not null ? DockerStart(config, files) : new ProcessStartInfo(config.Command!);
        if (config.Image is null)
        {
            foreach (var a in config.Args)
                psi.ArgumentList.Add(a);
            foreach (var (k, v) in config.Env)
                psi.Environment[k] = v;
        }
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = stdin;
        psi.UseShellExecute = false;
        psi.StandardOutputEncoding = Encoding.UTF8;
        psi.StandardErrorEncoding = Encoding.UTF8;
        if (stdin)
            psi.StandardInputEncoding = new UTF8Encoding(false);
        if (config.WorkingDirectory is not null)
            psi.WorkingDirectory = config.WorkingDirectory;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("no process started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new Core.Connectors.ConfigException(config.Image is null ? "command" : "image", $"cannot start '{psi.FileName}': {e.Message}", "check that the executable exists and is on PATH");
        }
        return new ConnectorProcess(process, config.Describe, cancellationToken);
    }

    private static ProcessStartInfo DockerStart(AirbyteConfig config, ProtocolFiles files)
    {
        DockerEngine.EnsureAvailable();
        var psi = new ProcessStartInfo("docker");
        foreach (var a in (string[])["run", "--rm", "-i", "-v", $"{files.Directory}:{ProtocolFiles.DockerMount}"])
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in config.Env)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add($"{k}={v}");
        }
        if (config.WorkingDirectory is not null)
        {
            psi.ArgumentList.Add("-w");
            psi.ArgumentList.Add(config.WorkingDirectory);
        }
        psi.ArgumentList.Add(config.Image!);
        foreach (var a in config.Args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    public StreamWriter Stdin => _process.StandardInput;

    public TextReader Stdout => _process.StandardOutput;

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask();

    /// <summary>Stderr lines seen since the last call, for forwarding as log messages.</summary>
    public IEnumerable<string> DrainStderr()
    {
        while (_stderrLines.Reader.TryRead(out var line))
            yield return line;
    }

    /// <summary>Waits for the exit after stdout ended; a non-zero exit code is a failure carrying the stderr tail.</summary>
    public async Task WaitForSuccessAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _stderrPump;
        if (_process.ExitCode != 0)
            throw Failure($"exited with code {_process.ExitCode}");
    }

    public ExternalConnectorException Failure(string problem)
    {
        string tail;
        lock (_stderrTail)
            tail = string.Join("\n", _stderrTail);
        return new ExternalConnectorException(tail.Length == 0
            ? $"external connector ({_describe}) {problem}"
            : $"external connector ({_describe}) {problem}; last stderr lines:\n{tail}");
    }

    /// <summary>Waits briefly for stderr to be drained, so a failure message carries the process's last words.</summary>
    public async Task SettleAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > TailLines)
                    _stderrTail.Dequeue();
            }
            _stderrLines.Writer.TryWrite(line);
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.DisposeAsync();
        Kill();
        try
        {
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
        {
        }
        _process.Dispose();
    }
}
