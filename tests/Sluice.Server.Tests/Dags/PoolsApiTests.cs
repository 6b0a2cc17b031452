using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Tests.Dags;

/// <summary>/api/v1/pools: admins create, resize and delete pools; DAGs can only name pools that exist.</summary>
public sealed class PoolsApiTests
{
    [Fact]
    public async Task Admins_manage_pools_that_dags_then_use_and_mistakes_get_problem_details()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.AsRoleAsync(Role.Admin);
        using var viewer = await server.AsRoleAsync(Role.Viewer);
        const string Dag = "name: loads\ntasks:\n  - { id: load, type: command, command: \"true\", pool: warehouse }";

        var refused = await DagApi.ApplyAsync(admin, Dag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("unknown pool 'warehouse'", await refused.Content.ReadAsStringAsync());

        var created = await admin.PutAsJsonAsync("/api/v1/pools/warehouse", new { slots = 3 });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DagApi.ApplyAsync(admin, Dag)).StatusCode);
        var pools = (await viewer.GetFromJsonAsync<JsonArray>("/api/v1/pools"))!;
        Assert.Equal(3, pools.Single(p => p!["name"]!.GetValue<string>() == "warehouse")!["slots"]!.GetValue<int>());

        var badSlots = await admin.PutAsJsonAsync("/api/v1/pools/warehouse", new { slots = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, badSlots.StatusCode);
        Assert.Contains("slots", await badSlots.Content.ReadAsStringAsync());
        var inUse = await admin.DeleteAsync("/api/v1/pools/warehouse");
        Assert.Equal(HttpStatusCode.BadRequest, inUse.StatusCode);
        Assert.Contains("used by DAG(s) loads", await inUse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/v1/pools/other", new { slots = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/pools/nowhere")).StatusCode);
    }
}
