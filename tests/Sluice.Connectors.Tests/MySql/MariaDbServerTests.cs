using Sluice.Testing;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MariaDbServerTests
{
    [Fact]
    public async Task Throwaway_server_runs_with_row_binlog_on_loopback()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("fixture");
        Assert.Equal("ROW", await server.ScalarAsync<string>(database, "select @@binlog_format"));
        Assert.Equal("FULL", await server.ScalarAsync<string>(database, "select @@binlog_row_image"));
        Assert.Equal(1L, await server.ScalarAsync<long>(database, "select @@log_bin"));
        Assert.Equal(1L, await server.ScalarAsync<long>(database, "select @@local_infile"));
        Assert.Equal(database, await server.ScalarAsync<string>(database, "select database()"));
        Assert.Contains("MariaDB", await server.ScalarAsync<string>(database, "select version()"));
    }
}
