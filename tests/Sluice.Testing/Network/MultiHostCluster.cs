using Xunit.Abstractions;

namespace Sluice.Testing.Network;

/// <summary>
/// A virtual network (<see cref="NetworkHosts"/>) with a PostgreSQL server of its own that the hosts reach at the
/// bridge address, and one fresh database on it: the metadata store of a distributed Sluice under test.
/// </summary>
public sealed class MultiHostCluster : IAsyncDisposable
{
    private MultiHostCluster(NetworkHosts network, PostgresServer postgres, string database)
    {
        Network = network;
        Postgres = postgres;
        Database = database;
    }

    public NetworkHosts Network { get; }
    public PostgresServer Postgres { get; }
    public string Database { get; }

    /// <summary>The store URL as processes on the hosts use it (through the bridge address).</summary>
    public string StoreUrl => Postgres.Url(Database, Network.GatewayAddress);

    /// <summary>The same store from the test itself (root namespace, loopback).</summary>
    public string LocalConnectionString => Postgres.ConnectionString(Database);

    public static async Task<MultiHostCluster> StartAsync(ITestOutputHelper? output, string database = "sluice")
    {
        var network = await NetworkHosts.CreateAsync(output);
        try
        {
            var postgres = network.Isolated
                ? await PostgresServer.StartDedicatedAsync([network.GatewayAddress], [network.Subnet!])
                : await PostgresServer.StartDedicatedAsync([], []);
            var name = await postgres.CreateDatabaseAsync(database);
            output?.WriteLine($"cluster: PostgreSQL on {network.GatewayAddress}:{postgres.Port}, database {name}");
            return new MultiHostCluster(network, postgres, name);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Network.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
