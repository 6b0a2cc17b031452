using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Tests.Dags;

/// <summary>DAGs, their runs and tasks belong to a workspace: roles are checked there, and other workspaces see none of them.</summary>
public sealed class WorkspaceDagTests
{
    private const string Yaml = """
        name: b-etl
        tasks:
          - id: load
            type: sync
            connection: orders
        """;

    [Fact]
    public async Task A_dag_of_workspace_b_runs_its_connection_there_and_is_invisible_and_untriggerable_from_workspace_a()
    {
        await using var server = await TestServer.StartAsync();
        using (var creator = await server.AsAdminAsync())
            Assert.Equal(HttpStatusCode.Created, (await creator.PostAsJsonAsync("/api/v1/workspaces", new { name = "team-b" })).StatusCode);
        // The admin created team-b and administers it; an API token bound to no workspace acts in both.
        using var admin = await TokenAsync(server, (await server.Store.Identity.FindUserAsync(AdminBootstrap.AdminName))!, null, Role.Admin);
        // The connection exists in team-b only, so the DAG is valid there and nowhere else.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/sources?workspace=team-b", new { name = "sample", connector = "sample", config = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/destinations?workspace=team-b",
            new { name = "out", connector = "sqlite", config = new { path = Path.Combine(server.DataDir, "b.db") } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/connections?workspace=team-b", new { name = "orders", source = "sample", destination = "out" })).StatusCode);

        var inDefault = await admin.PostAsync("/api/v1/dags", new StringContent(Yaml, System.Text.Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, inDefault.StatusCode);
        Assert.Contains("orders", await inDefault.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/dags?workspace=team-b", new StringContent(Yaml, System.Text.Encoding.UTF8, "application/yaml"))).StatusCode);
        var dag = await server.Store.Dags.GetAsync("b-etl");
        Assert.Equal((await server.Store.Workspaces.FindByNameAsync("team-b"))!.Id, dag!.WorkspaceId);

        // Run in team-b: the sync task finds the connection in the DAG's workspace.
        var trigger = await admin.PostAsJsonAsync("/api/v1/dags/b-etl/trigger?workspace=team-b", new { });
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonObject run;
        do
        {
            await Task.Delay(200);
            run = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}?workspace=team-b"))!["run"]!.AsObject();
        }
        while (run["state"]!.GetValue<string>() is not ("success" or "failed") && DateTime.UtcNow < deadline);
        Assert.Equal("success", run["state"]!.GetValue<string>());
        var runsOfB = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/runs?workspace=team-b"))!["items"]!.AsArray();
        Assert.Contains(runsOfB, r => r!["id"]!.GetValue<long>() == runId);

        // Callers acting in the default workspace (workspace A) see nothing of it, whatever their role there.
        foreach (var role in new[] { Role.Viewer, Role.Editor, Role.Admin })
        {
            using var a = await server.AsRoleAsync(role);
            Assert.DoesNotContain((await a.GetFromJsonAsync<JsonObject>("/api/v1/dags"))!["items"]!.AsArray(), d => d!["name"]!.GetValue<string>() == "b-etl");
            Assert.Empty((await a.GetFromJsonAsync<JsonObject>("/api/v1/runs"))!["items"]!.AsArray());
            foreach (var url in new[] { "/api/v1/dags/b-etl", "/api/v1/dags/b-etl/runs", $"/api/v1/runs/{runId}", $"/api/v1/runs/{runId}/tasks", $"/api/v1/runs/{runId}/tasks/load/logs" })
                Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync(url)).StatusCode);
            // A viewer may not trigger at all (403); an editor or admin of A is told the DAG does not exist (404).
            var expected = role == Role.Viewer ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            Assert.Equal(expected, (await a.PostAsJsonAsync("/api/v1/dags/b-etl/trigger", new { })).StatusCode);
            Assert.Equal(expected, (await a.PostAsync("/api/v1/dags/b-etl/pause", null)).StatusCode);
            Assert.Equal(expected, (await a.PostAsync($"/api/v1/runs/{runId}/tasks/load/clear", null)).StatusCode);
            // Nor can they reach it by naming team-b, where they have no role.
            Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/api/v1/dags/b-etl?workspace=team-b")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsJsonAsync("/api/v1/dags/b-etl/trigger?workspace=team-b", new { })).StatusCode);
        }

        // A viewer of team-b sees the DAG and its run there but cannot trigger it.
        using var viewerB = await ViewerOfAsync(server, "team-b");
        Assert.Contains((await viewerB.GetFromJsonAsync<JsonObject>("/api/v1/dags?workspace=team-b"))!["items"]!.AsArray(), d => d!["name"]!.GetValue<string>() == "b-etl");
        Assert.Equal(HttpStatusCode.OK, (await viewerB.GetAsync($"/api/v1/runs/{runId}?workspace=team-b")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerB.PostAsJsonAsync("/api/v1/dags/b-etl/trigger?workspace=team-b", new { })).StatusCode);

        // The name is taken instance-wide: the default workspace cannot define a DAG of the same name over it.
        var clash = await admin.PostAsync("/api/v1/dags", new StringContent("name: b-etl\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n", System.Text.Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal(1, (await server.Store.Dags.GetAsync("b-etl"))!.CurrentVersion);
    }

    private static async Task<HttpClient> ViewerOfAsync(TestServer server, string workspaceName)
    {
        var workspace = (await server.Store.Workspaces.FindByNameAsync(workspaceName))!;
        var user = await server.Store.Identity.CreateUserAsync(new User { Id = Guid.Empty, Name = $"viewer-{Guid.NewGuid():N}", PasswordHash = Passwords.Hash("unused-password-123") });
        await server.Store.Identity.SetRoleAsync(user.Id, workspace.Id, Role.Viewer);
        return await TokenAsync(server, user, workspace.Id, Role.Viewer);
    }

    private static async Task<HttpClient> TokenAsync(TestServer server, User user, Guid? workspaceId, Role role)
    {
        var secret = Tokens.New(Tokens.ApiPrefix);
        await server.Store.Identity.CreateTokenAsync(new ApiToken
        {
            Id = Guid.NewGuid(), UserId = user.Id, WorkspaceId = workspaceId, Kind = TokenKinds.Api, Name = "workspace-dag-test",
            TokenHash = Tokens.Hash(secret), Role = role, CreatedAt = DateTimeOffset.UtcNow,
        });
        return server.WithToken(secret);
    }
}
