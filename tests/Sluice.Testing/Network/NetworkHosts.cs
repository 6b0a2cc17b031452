using System.Diagnostics;
using Xunit.Abstractions;

namespace Sluice.Testing.Network;

/// <summary>
/// Simulated machines on one virtual network: a bridge in the root namespace with address 10.231.N.1/24 (where the
/// test's PostgreSQL listens, see <see cref="PostgresServer.StartDedicatedAsync"/>) and, per host, a network namespace
/// joined to the bridge by a veth pair, with its own address 10.231.N.k. A host can be cut off (its bridge port goes
/// down, so its TCP connections hang as with a pulled cable) and reconnected.
/// Where namespaces cannot be created (see <see cref="NamespaceSupport"/>), hosts are plain processes on loopback:
/// <see cref="Isolated"/> is false, the fallback is written to the test output, and <see cref="CutAsync"/> refuses.
/// </summary>
public sealed class NetworkHosts : IAsyncDisposable
{
    private const string Prefix = "10.231";
    private static readonly SemaphoreSlim LocalGate = new(1, 1);

    private readonly List<NetworkHost> _hosts = [];
    private readonly List<HostProcess> _processes = [];
    private readonly ITestOutputHelper? _output;
    private readonly int _pid = Environment.ProcessId;
    private readonly string? _bridge;
    private int _nextIndex;

    private NetworkHosts(ITestOutputHelper? output, string? bridge, string gateway, string? subnet)
    {
        _output = output;
        _bridge = bridge;
        GatewayAddress = gateway;
        Subnet = subnet;
    }

    /// <summary>True when hosts are real network namespaces; false in the loopback fallback.</summary>
    public bool Isolated => _bridge is not null;

    /// <summary>The address the hosts reach the root namespace (PostgreSQL) on: the bridge's, or 127.0.0.1.</summary>
    public string GatewayAddress { get; }

    /// <summary>The hosts' subnet in CIDR form (null in the fallback), for pg_hba.</summary>
    public string? Subnet { get; }

    public IReadOnlyList<NetworkHost> Hosts => _hosts;

    /// <summary>Creates the bridge (or notes the fallback, also in <paramref name="output"/>).</summary>
    public static async Task<NetworkHosts> CreateAsync(ITestOutputHelper? output)
    {
        if (NamespaceSupport.UnavailableReason is { } reason)
        {
            Say(output, $"network: {reason}; FALLBACK: every host is a separate process on loopback (127.0.0.1), " +
                "nothing here is isolated and a host cannot be cut off");
            return new NetworkHosts(output, null, "127.0.0.1", null);
        }
        var pid = Environment.ProcessId;
        var bridge = NamespaceSupport.BridgeName(pid, Interlocked.Increment(ref _counter));
        // Several test processes (other worktrees, CI) may create bridges at once: pick a free /24 under a machine-wide lock.
        await LocalGate.WaitAsync();
        try
        {
            using var machineLock = await MachineLockAsync();
            var used = await Ip.RunAsync("-o", "-4", "addr", "show");
            var third = Enumerable.Range(1, 250).First(n => !used.Contains($" {Prefix}.{n}.", StringComparison.Ordinal));
            var gateway = $"{Prefix}.{third}.1";
            await Ip.RunAsync("link", "add", bridge, "type", "bridge");
            await Ip.RunAsync("addr", "add", $"{gateway}/24", "dev", bridge);
            await Ip.RunAsync("link", "set", bridge, "up");
            var network = new NetworkHosts(output, bridge, gateway, $"{Prefix}.{third}.0/24");
            Say(output, $"network: bridge {bridge} at {gateway}/24; each host is a network namespace with its own address on it");
            return network;
        }
        finally
        {
            LocalGate.Release();
        }
    }

    // Numbers bridges and veth pairs across every network of this process, so their names never repeat.
    private static int _counter;

    /// <summary>Adds a host named <paramref name="name"/> (letters, digits, '-').</summary>
    public async Task<NetworkHost> AddHostAsync(string name)
    {
        var index = Interlocked.Increment(ref _nextIndex);
        if (index > 250)
            throw new InvalidOperationException("a test network has room for 250 hosts");
        NetworkHost host;
        if (!Isolated)
        {
            host = new NetworkHost(name, "127.0.0.1", null, null);
        }
        else
        {
            var bridge = _bridge!;
            var ns = NamespaceSupport.NamespaceName(_pid, $"{bridge[(bridge.IndexOf('x') + 1)..]}-{name}");
            var veth = NamespaceSupport.VethName(_pid, Interlocked.Increment(ref _counter));
            var address = $"{GatewayAddress[..GatewayAddress.LastIndexOf('.')]}.{index + 1}";
            await Ip.RunAsync("netns", "add", ns);
            await Ip.RunAsync("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            await Ip.RunAsync("link", "set", veth, "master", bridge, "up");
            await Ip.RunAsync("-n", ns, "link", "set", "lo", "up");
            await Ip.RunAsync("-n", ns, "addr", "add", $"{address}/24", "dev", "eth0");
            await Ip.RunAsync("-n", ns, "link", "set", "eth0", "up");
            host = new NetworkHost(name, address, ns, veth);
        }
        lock (_hosts)
            _hosts.Add(host);
        Say(_output, $"network: host {host}");
        return host;
    }

    /// <summary>Starts <paramref name="file"/> on <paramref name="host"/> (inside its namespace when isolated).</summary>
    public HostProcess Start(NetworkHost host, string label, string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo();
        if (host.Namespace is { } ns)
        {
            psi.FileName = "ip";
            foreach (var a in new[] { "netns", "exec", ns, file })
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = file;
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        var process = new HostProcess(host, label, psi, _output);
        lock (_processes)
            _processes.Add(process);
        return process;
    }

    /// <summary>Runs a command on a host to its end and returns its exit code and output (for reachability checks).</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(NetworkHost host, string file, IEnumerable<string> args, TimeSpan timeout)
    {
        await using var process = Start(host, Path.GetFileName(file), file, args);
        try
        {
            var code = await process.WaitForExitAsync(timeout);
            return (code, process.Output);
        }
        catch (OperationCanceledException)
        {
            return (-1, process.Output + "\n(timed out)");
        }
    }

    /// <summary>Pulls the host's cable: its bridge port goes down; packets are dropped and its connections hang.</summary>
    public async Task CutAsync(NetworkHost host)
    {
        RequireIsolated(host, "cut off");
        await Ip.RunAsync("link", "set", host.BridgePort!, "down");
        Say(_output, $"network: {host.Name} CUT OFF at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
    }

    public async Task RestoreAsync(NetworkHost host)
    {
        RequireIsolated(host, "reconnected");
        await Ip.RunAsync("link", "set", host.BridgePort!, "up");
        Say(_output, $"network: {host.Name} reconnected at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
    }

    public async ValueTask DisposeAsync()
    {
        List<HostProcess> processes;
        lock (_processes)
            processes = [.. _processes];
        foreach (var p in processes)
            await p.DisposeAsync();
        if (!Isolated)
            return;
        foreach (var host in _hosts)
        {
            await NamespaceSupport.KillProcessesInAsync(host.Namespace!);
            await Ip.TryAsync("netns", "del", host.Namespace!);
        }
        await Ip.TryAsync("link", "del", _bridge!);
    }

    private static void RequireIsolated(NetworkHost host, string what)
    {
        if (!host.IsIsolated)
            throw new InvalidOperationException($"host {host.Name} cannot be {what}: it is a loopback process ({NamespaceSupport.UnavailableReason})");
    }

    private static async Task<FileStream> MachineLockAsync()
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(Path.Combine(Path.GetTempPath(), "sluice-netns.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 300)
            {
                await Task.Delay(100);
            }
        }
    }

    private static void Say(ITestOutputHelper? output, string line)
    {
        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
