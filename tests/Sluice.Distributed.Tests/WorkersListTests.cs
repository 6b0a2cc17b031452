using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sluice.Distributed.Tests;

/// <summary><c>sluice workers list</c> and <c>GET /api/v1/workers</c> (signed in) show the workers, the active scheduler and its standby.</summary>
public sealed class WorkersListTests
{
    [Fact]
    public async Task Cli_and_api_list_workers_with_their_queues_and_the_scheduler_lease()
    {
        await using var cluster = await Cluster.StartAsync();
        var port = Sluice.Testing.FreePort.Next();
        var s1 = await cluster.ReadyAsync(cluster.Scheduler("s1"));
        await s1.WaitForLineAsync(@"^scheduler s1 is active \(token \d+\)$", TimeSpan.FromSeconds(30));
        await cluster.ReadyAsync(cluster.Scheduler("s2"));
        await cluster.ReadyAsync(cluster.Worker("w1", 3, "--queues", "default,warehouse", "--labels", "zone=a"));
        var server = cluster.Start("server", "server", "--store", cluster.Url, "--listen", $"http://127.0.0.1:{port}");
        await server.WaitForLineAsync($@"^server ready on http://127\.0\.0\.1:{port}$", TimeSpan.FromSeconds(60));
        await Task.Delay(2500);

        var list = cluster.Start("list", "workers", "list", "--store", cluster.Url, "--format", "json");
        Assert.True(await list.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, list.Output);
        AssertView(JsonDocument.Parse(list.Stdout).RootElement);

        var table = cluster.Start("table", "workers", "list", "--store", cluster.Url);
        Assert.Equal(0, await table.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("active scheduler: s1 (token", table.Stdout);
        Assert.Contains("standby schedulers: s2 on", table.Stdout);

        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/workers")).StatusCode);
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        (await admin.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Cluster.AdminPassword })).EnsureSuccessStatusCode();
        var response = await admin.GetAsync("/api/v1/workers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertView(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static void AssertView(JsonElement view)
    {
        var worker = Assert.Single(view.GetProperty("workers").EnumerateArray());
        Assert.Equal("w1", worker.GetProperty("id").GetString());
        Assert.Equal(3, worker.GetProperty("slots").GetInt32());
        Assert.Equal(new[] { "default", "warehouse" }, worker.GetProperty("queues").EnumerateArray().Select(q => q.GetString()!));
        Assert.Equal("a", worker.GetProperty("labels").GetProperty("zone").GetString());
        Assert.Equal(0, worker.GetProperty("runningTasks").GetInt32());
        Assert.Equal("active", worker.GetProperty("state").GetString());
        Assert.True(worker.GetProperty("alive").GetBoolean());
        Assert.True(worker.GetProperty("lastHeartbeat").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-15));
        var scheduler = view.GetProperty("scheduler");
        Assert.Equal("s1", scheduler.GetProperty("active").GetString());
        Assert.True(scheduler.GetProperty("token").GetInt64() >= 1);
        Assert.Equal("s2", Assert.Single(scheduler.GetProperty("standbys").EnumerateArray()).GetProperty("id").GetString());
    }
}
