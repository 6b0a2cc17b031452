using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Testing.Network;

/// <summary>
/// Whether this machine lets us create network namespaces (found by trying, once per process), and the removal of
/// what a crashed earlier run left behind. Every object the fixture creates carries the creating process's id in its
/// name (<c>sluice-PID-N-host</c>, <c>slbPIDxN</c>, <c>slvPIDxN</c>), so objects of a live run are never touched.
/// </summary>
public static partial class NamespaceSupport
{
    private static readonly Lazy<string?> Unavailable = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when namespaces work here; otherwise why they do not (and tests fall back to loopback processes).</summary>
    public static string? UnavailableReason => Unavailable.Value;

    public static bool Available => UnavailableReason is null;

    public static string NamespaceName(int pid, string host) => $"sluice-{pid}-{host}";

    public static string BridgeName(int pid, int index) => $"slb{pid}x{index}";

    public static string VethName(int pid, int index) => $"slv{pid}x{index}";

    private static string? Probe()
    {
        // To see the fallback on a machine that has namespaces.
        if (Environment.GetEnvironmentVariable("SLUICE_NETNS") == "off")
            return "namespaces turned off by SLUICE_NETNS=off";
        if (!OperatingSystem.IsLinux())
            return "network namespaces need Linux";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/usr/bin/ip") && !File.Exists("/sbin/ip"))
            return "iproute2 (`ip`) is not installed: run scripts/install-deps.sh";
        var name = NamespaceName(Environment.ProcessId, "probe");
        try
        {
            RemoveLeftoversAsync().GetAwaiter().GetResult();
            Ip.RunAsync("netns", "add", name).GetAwaiter().GetResult();
            Ip.RunAsync("link", "add", BridgeName(Environment.ProcessId, 0), "type", "bridge").GetAwaiter().GetResult();
            Ip.RunAsync("link", "del", BridgeName(Environment.ProcessId, 0)).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return $"cannot create network namespaces here ({FirstLine(e.Message)})";
        }
        finally
        {
            Ip.TryAsync("netns", "del", name).GetAwaiter().GetResult();
        }
    }

    /// <summary>Deletes namespaces, bridges and veth pairs (and kills the processes inside) of runs whose process is gone.</summary>
    public static async Task RemoveLeftoversAsync()
    {
        foreach (var line in (await Ip.RunAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (NamespacePattern().Match(name) is { Success: true } m && IsDead(m.Groups[1].Value))
            {
                await KillProcessesInAsync(name);
                await Ip.TryAsync("netns", "del", name);
            }
        }
        foreach (var line in (await Ip.RunAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "12: slv123x0@if11: <...>": the name ends at '@' or ':'.
            var name = line.Split(':', 3) is { Length: 3 } parts ? parts[1].Trim().Split('@')[0] : "";
            if (LinkPattern().Match(name) is { Success: true } m && IsDead(m.Groups[1].Value))
                await Ip.TryAsync("link", "del", name);
        }
    }

    internal static async Task KillProcessesInAsync(string ns)
    {
        string pids;
        try
        {
            pids = await Ip.RunAsync("netns", "pids", ns);
        }
        catch (InvalidOperationException)
        {
            return;
        }
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            await ProcessRunner.RunAsync("kill", ["-9", pid.Trim()]).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static bool IsDead(string pid) =>
        int.Parse(pid, CultureInfo.InvariantCulture) != Environment.ProcessId && !Directory.Exists($"/proc/{pid}");

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    [GeneratedRegex(@"^sluice-(\d+)-")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^sl[bv](\d+)x\d+$")]
    private static partial Regex LinkPattern();
}
