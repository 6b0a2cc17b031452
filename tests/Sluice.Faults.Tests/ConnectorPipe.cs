using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Sluice.Faults.Tests;

/// <summary>
/// <c>sluice connector read SOURCE | sluice connector write DESTINATION</c> as a shell runs it, each run in its own
/// folder: the writer's stdout (the STATE lines it printed once committed) goes to a file, so what it promised
/// survives a kill -9 of the whole pipeline.
/// </summary>
internal sealed class ConnectorPipe : IDisposable
{
    private readonly Process _shell;

    private ConnectorPipe(Process shell, string printed)
    {
        _shell = shell;
        Printed = printed;
    }

    /// <summary>The file the writer prints its STATE lines into.</summary>
    public string Printed { get; }
    public bool HasExited => _shell.HasExited;
    public int ExitCode => _shell.ExitCode;

    /// <param name="dir">holds source.json, destination.json and catalog.json; the run's files are written there too</param>
    /// <param name="run">numbers the run's files</param>
    /// <param name="stateFile">the last printed STATE to resume from, or null for a first run</param>
    public static ConnectorPipe Start(string dir, int run, string? stateFile)
    {
        var sluice = Path.Combine(AppContext.BaseDirectory, "sluice.dll");
        var state = stateFile is null ? "" : $" --state '{stateFile}'";
        var printed = Path.Combine(dir, $"printed-{run}.jsonl");
        var script = "set -o pipefail; " +
            $"dotnet '{sluice}' connector read postgres --config '{dir}/source.json' --catalog '{dir}/catalog.json'{state} --data-dir '{dir}' 2>'{dir}/read-{run}.err' | " +
            $"dotnet '{sluice}' connector write postgres --config '{dir}/destination.json' --catalog '{dir}/catalog.json' --data-dir '{dir}' >'{printed}' 2>'{dir}/write-{run}.err'";
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["NO_COLOR"] = "1";
        return new ConnectorPipe(Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash"), printed);
    }

    /// <summary>The STATE lines the writer has printed so far (a line still being written is not counted).</summary>
    public List<string> States()
    {
        if (!File.Exists(Printed))
            return [];
        using var stream = new FileStream(Printed, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => JsonNode.Parse(line)?["type"]?.GetValue<string>() == "STATE")
            .ToList();
    }

    /// <summary>Waits until the writer printed <paramref name="count"/> STATE lines; false when the pipeline ended first.</summary>
    public async Task<bool> WaitForStatesAsync(int count)
    {
        while (!_shell.HasExited)
        {
            if (States().Count >= count)
                return true;
            await Task.Delay(10);
        }
        return false;
    }

    /// <summary>SIGKILL to the shell, the reader and the writer at once; false when the pipeline had already ended.</summary>
    public async Task<bool> KillAsync()
    {
        if (_shell.HasExited)
            return false;
        try
        {
            _shell.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        await _shell.WaitForExitAsync();
        return true;
    }

    public async Task WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _shell.WaitForExitAsync(cts.Token);
    }

    public void Dispose()
    {
        if (!_shell.HasExited)
            _shell.Kill(entireProcessTree: true);
        _shell.Dispose();
    }
}
