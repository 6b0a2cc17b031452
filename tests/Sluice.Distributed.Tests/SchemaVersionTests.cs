namespace Sluice.Distributed.Tests;

/// <summary>The distributed processes never migrate by themselves: they refuse a store at another schema version, and say what to do.</summary>
public sealed class SchemaVersionTests
{
    [Fact]
    public async Task Every_process_refuses_an_unmigrated_store_then_a_newer_schema_with_a_clear_message()
    {
        await using var cluster = await Cluster.StartAsync(migrate: false);
        var port = Sluice.Testing.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = new[]
        {
            cluster.Worker("w1"),
            cluster.Scheduler("s1"),
            cluster.Start("server", "server", "--store", cluster.Url, "--listen", $"http://127.0.0.1:{port}"),
            cluster.Start("list", "workers", "list", "--store", cluster.Url),
        };
        foreach (var node in refused)
        {
            Assert.Equal(4, await node.WaitForExitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("cannot start: the metadata store has no Sluice schema yet", node.Stderr);
            Assert.Contains("run `sluice migrate --store <url>` first", node.Stderr);
        }

        // sluice migrate takes an Npgsql key=value connection string as well as a URL.
        var migrate = cluster.Start("migrate", "migrate", "--store", cluster.Server.ConnectionString(cluster.Database));
        Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, migrate.Output);
        await cluster.ReadyAsync(cluster.Worker("w2"));

        await cluster.Server.ExecuteAsync(cluster.Database, "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'from_the_future', now())");
        var newer = cluster.Scheduler("s2");
        Assert.Equal(4, await newer.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("metadata schema version 999 is newer than this Sluice build supports", newer.Stderr);
    }

    [Fact]
    public async Task A_worker_without_a_store_names_the_option_and_the_variable()
    {
        await using var cluster = await Cluster.StartAsync();
        var node = cluster.Start("w", "worker", "--id", "w");
        Assert.Equal(2, await node.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("--store: sluice worker needs the shared metadata store; give --store postgres://", node.Stderr);
        Assert.Contains("SLUICE_STORE", node.Stderr);
    }
}
