using Npgsql;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Throwaway_server_runs_with_logical_wal_on_loopback()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("fixture");
        Assert.Equal("logical", await server.ScalarAsync<string>(database, "show wal_level"));
        Assert.StartsWith("15.", await server.ScalarAsync<string>(database, "show server_version"));
        Assert.Equal(database, await server.ScalarAsync<string>(database, "select current_database()"));
    }

    [Fact]
    public async Task A_server_left_by_a_dead_test_host_is_stopped_and_removed()
    {
        var orphan = await PostgresServer.StartOwnedByAsync(LeftoverServers.DeadPid());
        var live = await PostgresServer.InstanceAsync();
        Assert.Equal(1, await orphan.ScalarAsync<int>("postgres", "select 1"));

        // Another test class starting a server may reap it first: either way it must be gone.
        await PostgresServer.ReapLeftoversAsync();

        Assert.False(Directory.Exists(orphan.Root));
        NpgsqlConnection.ClearAllPools();
        await Assert.ThrowsAnyAsync<Exception>(() => orphan.ScalarAsync<int>("postgres", "select 1"));
        // The server of this live host is kept.
        Assert.True(Directory.Exists(live.Root));
        Assert.Equal(1, await live.ScalarAsync<int>("postgres", "select 1"));
    }
}
