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

    [Fact]
    public async Task A_server_left_by_a_dead_test_host_is_stopped_and_removed()
    {
        var orphan = await MariaDbServer.StartOwnedByAsync(LeftoverServers.DeadPid());
        var live = await MariaDbServer.InstanceAsync();
        Assert.True(orphan.IsRunning);

        // Another test class starting a server may reap it first: either way it must be gone.
        await MariaDbServer.ReapLeftoversAsync();

        Assert.False(Directory.Exists(orphan.Root));
        for (var wait = 0; wait < 100 && orphan.IsRunning; wait++)
            await Task.Delay(100);
        Assert.False(orphan.IsRunning);
        Assert.True(live.IsRunning);
        Assert.True(Directory.Exists(live.Root));
    }
}
