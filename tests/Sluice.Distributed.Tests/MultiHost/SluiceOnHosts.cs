using Sluice.Testing.Network;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>
/// Starts the real sluice processes (the sluice.dll built next to the tests) on simulated hosts, all against the
/// cluster's store, and runs one-shot CLI commands (apply, trigger) from the test's own namespace.
/// </summary>
internal sealed class SluiceOnHosts(MultiHostCluster cluster)
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "sluice.dll");

    // Each process's local files (none matter for these tests, but none should land next to the test binaries).
    private readonly string _dataDir = Directory.CreateTempSubdirectory("sluice-multihost-").FullName;

    public HostProcess Scheduler(NetworkHost host, string id, params string[] extra) =>
        Start(host, id, ["scheduler", "--store", cluster.StoreUrl, "--id", id, .. extra]);

    public HostProcess Worker(NetworkHost host, string id, int slots, params string[] extra) =>
        Start(host, id, ["worker", "--store", cluster.StoreUrl, "--id", id, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);

    public static Task<(DateTimeOffset At, string Line)> ReadyAsync(HostProcess process, string kind) =>
        process.WaitForLineAsync(l => l.Contains($"{kind} {process.Label} ready", StringComparison.Ordinal), TimeSpan.FromMinutes(2));

    /// <summary>Runs a CLI command to its end from the test's namespace (loopback store URL); throws with its output on failure.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var local = cluster.Postgres.Url(cluster.Database);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Dll }.Concat(args).Concat(["--store", local, "--data-dir", _dataDir]))
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"sluice {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private HostProcess Start(NetworkHost host, string label, IEnumerable<string> args) =>
        cluster.Network.Start(host, label, "dotnet", [Dll, .. args, "--data-dir", _dataDir], new Dictionary<string, string>
        {
            ["NO_COLOR"] = "1",
        });
}
