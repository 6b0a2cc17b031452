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
}
