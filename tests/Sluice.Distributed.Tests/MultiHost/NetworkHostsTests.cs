using Sluice.Testing;
using Sluice.Testing.Network;
using Xunit.Abstractions;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>The network fixture itself: hosts have their own addresses, reach PostgreSQL only through the bridge, can be cut off.</summary>
public sealed class NetworkHostsTests(ITestOutputHelper output)
{
    private static readonly string Psql = Path.Combine(PostgresServer.BinDir, "psql");
    private static readonly string PgIsReady = Path.Combine(PostgresServer.BinDir, "pg_isready");

    [Fact]
    public async Task Each_host_logs_in_to_postgres_from_its_own_address()
    {
        await using var cluster = await MultiHostCluster.StartAsync(output);
        var a = await cluster.Network.AddHostAsync("a");
        var b = await cluster.Network.AddHostAsync("b");

        var seenFromA = await ClientAddressAsync(cluster, a);
        var seenFromB = await ClientAddressAsync(cluster, b);

        Assert.Equal(a.Address, seenFromA);
        Assert.Equal(b.Address, seenFromB);
        if (cluster.Network.Isolated)
        {
            Assert.NotEqual(seenFromA, seenFromB);
            // A namespace's loopback is its own: the server is not there.
            var (code, text) = await cluster.Network.RunAsync(a, PgIsReady, ["-h", "127.0.0.1", "-p", Port(cluster), "-t", "3"], TimeSpan.FromSeconds(30));
            Assert.True(code != 0, $"PostgreSQL answered on host a's own loopback: {text}");
        }
    }

    [NamespaceFact("to cut a host off")]
    public async Task A_cut_off_host_loses_postgres_and_gets_it_back_when_reconnected()
    {
        await using var cluster = await MultiHostCluster.StartAsync(output);
        var a = await cluster.Network.AddHostAsync("a");
        var b = await cluster.Network.AddHostAsync("b");
        Assert.Equal(0, (await IsReadyAsync(cluster, a)).ExitCode);

        await cluster.Network.CutAsync(a);
        var cut = await IsReadyAsync(cluster, a);
        Assert.True(cut.ExitCode != 0, $"host a still reached PostgreSQL while cut off: {cut.Output}");
        Assert.Equal(0, (await IsReadyAsync(cluster, b)).ExitCode);

        await cluster.Network.RestoreAsync(a);
        // The port needs a moment to forward again after it comes up.
        var back = await RetryAsync(() => IsReadyAsync(cluster, a), TimeSpan.FromSeconds(30));
        Assert.Equal(0, back.ExitCode);
    }

    [NamespaceFact("to create and clean up namespaces")]
    public async Task Leftovers_of_a_crashed_run_are_removed_and_a_live_runs_are_kept()
    {
        var deadPid = Enumerable.Range(3_000_000, 1000).First(pid => !Directory.Exists($"/proc/{pid}"));
        var deadNamespace = NamespaceSupport.NamespaceName(deadPid, "1-old");
        var deadBridge = NamespaceSupport.BridgeName(deadPid, 1);
        await ProcessRunner.RunAsync("ip", ["netns", "add", deadNamespace]);
        await ProcessRunner.RunAsync("ip", ["link", "add", deadBridge, "type", "bridge"]);
        await using var live = await NetworkHosts.CreateAsync(output);
        var host = await live.AddHostAsync("alive");

        await NamespaceSupport.RemoveLeftoversAsync();

        var namespaces = await ProcessRunner.RunAsync("ip", ["netns", "list"]);
        var links = await ProcessRunner.RunAsync("ip", ["-o", "link", "show"]);
        Assert.DoesNotContain(deadNamespace, namespaces, StringComparison.Ordinal);
        Assert.DoesNotContain(deadBridge + ":", links, StringComparison.Ordinal);
        Assert.Contains(host.Namespace!, namespaces, StringComparison.Ordinal);
        Assert.Contains(host.BridgePort! + "@", links, StringComparison.Ordinal);
    }

    private static string Port(MultiHostCluster cluster) => cluster.Postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Task<(int ExitCode, string Output)> IsReadyAsync(MultiHostCluster cluster, NetworkHost host) =>
        cluster.Network.RunAsync(host, PgIsReady, ["-h", cluster.Network.GatewayAddress, "-p", Port(cluster), "-t", "3"], TimeSpan.FromSeconds(30));

    private async Task<string> ClientAddressAsync(MultiHostCluster cluster, NetworkHost host)
    {
        var (code, text) = await cluster.Network.RunAsync(host, "env", [$"PGPASSWORD={PostgresServer.Password}", Psql, "-h", cluster.Network.GatewayAddress,
            "-p", Port(cluster), "-U", PostgresServer.User, "-d", cluster.Database, "-Atc", "select host(inet_client_addr())"], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"psql on {host} failed: {text}");
        output.WriteLine($"{host.Name}: the server sees {text.Trim()}");
        return text.Trim();
    }

    private static async Task<(int ExitCode, string Output)> RetryAsync(Func<Task<(int ExitCode, string Output)>> probe, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var result = await probe();
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
                return result;
            await Task.Delay(500);
        }
    }
}
