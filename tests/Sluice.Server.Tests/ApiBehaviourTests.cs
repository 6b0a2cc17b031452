using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Tests;

/// <summary>Errors, limits, paging, versions, workspaces and the audit trail, through the HTTP API of a real host.</summary>
public sealed class ApiBehaviourTests
{
    private static JsonObject PgConfig(string password) => new()
    {
        ["host"] = "127.0.0.1", ["port"] = 5432, ["database"] = "db", ["username"] = "u", ["password"] = password,
    };

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Never a stack trace: no frame lines, no exception type dumps.
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain(".cs:line", text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Bad_requests_are_problem_details_naming_the_field_and_never_a_stack_trace()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();

        var malformed = await api.PostAsync("/api/v1/sources", new StringContent("{\"name\": \"x\", \"connector\": ", Encoding.UTF8, "application/json"));
        await ProblemAsync(malformed, HttpStatusCode.BadRequest);

        // Expect: 100-continue lets the server refuse by the declared length before the client sends the body (else the
        // refusal can race the upload and the client only sees a broken pipe).
        using var big = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sources")
        {
            Content = new StringContent("{\"name\": \"" + new string('x', 5 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"),
        };
        big.Headers.ExpectContinue = true;
        await ProblemAsync(await api.SendAsync(big), HttpStatusCode.RequestEntityTooLarge);

        var missing = await ProblemAsync(await api.PostAsJsonAsync("/api/v1/sources", new { name = "", connector = "postgres", config = PgConfig("pw-1") }), HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["name"]);
        var badPort = await ProblemAsync(await api.PostAsJsonAsync("/api/v1/sources", new { name = "p", connector = "postgres", config = new JsonObject { ["host"] = "h", ["port"] = "abc", ["database"] = "d", ["username"] = "u" } }), HttpStatusCode.BadRequest);
        Assert.NotNull(badPort["errors"]!["port"]);
        var badLimit = await ProblemAsync(await api.GetAsync("/api/v1/sources?limit=0"), HttpStatusCode.BadRequest);
        Assert.NotNull(badLimit["errors"]!["limit"]);
        var badType = await ProblemAsync(await api.GetAsync("/api/v1/sources?limit=many"), HttpStatusCode.BadRequest);
        Assert.Contains("limit", badType["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        // An unexpected failure (a catalog the store cannot read) is a bare 500: the detail is in the server log only.
        await api.PostAsJsonAsync("/api/v1/sources", new { name = "sample", connector = "sample", config = new { } });
        await api.PostAsJsonAsync("/api/v1/destinations", new { name = "out", connector = "sqlite", config = new { path = Path.Combine(server.DataDir, "out.db") } });
        var created = await api.PostAsJsonAsync("/api/v1/connections", new { name = "c", source = "sample", destination = "out", status = "paused" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "sluice.db")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var corrupt = db.CreateCommand();
            corrupt.CommandText = "UPDATE connections SET catalog = '{\"streams\": 5}' WHERE name = 'c'";
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
        }
        var broken = await ProblemAsync(await api.GetAsync("/api/v1/connections/c"), HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("streams", broken["detail"]!.GetValue<string>());
        Assert.Contains(server.Log.Lines, l => l.Contains("unhandled error on GET /api/v1/connections/c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lists_page_by_limit_and_cursor_following_next_links()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        var names = Enumerable.Range(1, 7).Select(i => $"s{i:00}").ToList();
        foreach (var name in names.AsEnumerable().Reverse())
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/sources", new { name, connector = "sample", config = new { } })).StatusCode);

        var seen = new List<string>();
        string? next = "/api/v1/sources?limit=3";
        var pages = 0;
        while (next is not null)
        {
            var page = (await api.GetFromJsonAsync<JsonObject>(next))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
            if (next is not null)
                Assert.Contains("cursor=" + page["nextCursor"]!.GetValue<string>(), next);
            pages++;
        }
        Assert.Equal(names, seen);
        Assert.Equal(3, pages);
        var bad = await api.GetAsync("/api/v1/sources?cursor=%%%");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["cursor"]);

        // Newest-first lists page the same way: the audit log has at least the seven creations.
        var audit = (await api.GetFromJsonAsync<JsonObject>("/api/v1/audit?limit=4"))!;
        Assert.Equal(4, audit["items"]!.AsArray().Count);
        var rest = (await api.GetFromJsonAsync<JsonObject>(audit["next"]!.GetValue<string>()))!;
        Assert.True(rest["items"]!.AsArray()[0]!["id"]!.GetValue<long>() < audit["items"]!.AsArray()[3]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Updates_need_a_version_and_a_stale_one_is_refused_and_changes_are_audited_with_secrets_masked()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        const string password = "Secret-Password-For-Audit-Test";
        var created = await api.PostAsJsonAsync("/api/v1/sources", new { name = "pg", connector = "postgres", config = PgConfig(password) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var source = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = source["id"]!.GetValue<string>();
        var etag = created.Headers.ETag!.Tag;
        var masked = source["config"]!.DeepClone().AsObject();
        masked["database"] = "other";

        var unversioned = await ProblemAsync(await api.PutAsJsonAsync($"/api/v1/sources/{id}", new { name = "pg", connector = "postgres", config = masked }), (HttpStatusCode)428);
        Assert.NotNull(unversioned["errors"]!["version"]);

        using (var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/sources/{id}") { Content = JsonContent.Create(new { name = "pg", connector = "postgres", config = masked }) })
        {
            fresh.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
            var ok = await api.SendAsync(fresh);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.NotEqual(etag, ok.Headers.ETag!.Tag);
        }
        using (var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/sources/{id}") { Content = JsonContent.Create(new { name = "pg", connector = "postgres", config = masked }) })
        {
            stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
            await ProblemAsync(await api.SendAsync(stale), HttpStatusCode.PreconditionFailed);
        }
        await ProblemAsync(await api.PutAsJsonAsync($"/api/v1/sources/{id}", new { name = "pg", connector = "postgres", config = masked, version = 1 }), HttpStatusCode.Conflict);

        // Users: the same rule.
        var me = (await api.GetFromJsonAsync<JsonObject>("/api/v1/auth/me"))!["id"]!.GetValue<string>();
        await ProblemAsync(await api.PutAsJsonAsync($"/api/v1/users/{me}", new { disabled = false, version = 99 }), HttpStatusCode.Conflict);

        // DAGs: a new definition through PUT with If-Match.
        const string Dag = "name: nightly\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n";
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/dags", new StringContent(Dag, Encoding.UTF8, "application/yaml"))).StatusCode);
        var dagEtag = (await api.GetAsync("/api/v1/dags/nightly")).Headers.ETag!.Tag;
        async Task<HttpResponseMessage> PutDag(string yaml, string? ifMatch)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/dags/nightly") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
            if (ifMatch is not null)
                request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
            return await api.SendAsync(request);
        }
        await ProblemAsync(await PutDag(Dag.Replace("true", "false"), null), (HttpStatusCode)428);
        Assert.Equal(HttpStatusCode.OK, (await PutDag(Dag.Replace("true", "false"), dagEtag)).StatusCode);
        await ProblemAsync(await PutDag(Dag.Replace("true", "exit 0"), dagEtag), HttpStatusCode.PreconditionFailed);

        var audit = (await api.GetFromJsonAsync<JsonObject>("/api/v1/audit?limit=100"))!["items"]!.AsArray();
        var update = audit.First(e => e!["action"]!.GetValue<string>() == "update-source" && e["status"]!.GetValue<int>() == 200)!;
        Assert.Contains("\"database\":\"db\"", update["before"]!.GetValue<string>());
        Assert.Contains("\"database\":\"other\"", update["after"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => e!.ToJsonString().Contains(password, StringComparison.Ordinal));
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "update-source" && e["status"]!.GetValue<int>() == 412);
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "update-dag" && e["status"]!.GetValue<int>() == 200);
    }

    [Fact]
    public async Task A_role_in_one_workspace_shows_nothing_of_another_workspaces_jobs_runs_dags_or_audit()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.AsAdminAsync();
        await admin.PostAsJsonAsync("/api/v1/sources", new { name = "sample", connector = "sample", config = new { } });
        await admin.PostAsJsonAsync("/api/v1/destinations", new { name = "out", connector = "sqlite", config = new { path = Path.Combine(server.DataDir, "out.db") } });
        var connection = (await (await admin.PostAsJsonAsync("/api/v1/connections", new { name = "c", source = "sample", destination = "out", status = "paused" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var job = await server.Store.Jobs.CreateAsync(Guid.Parse(connection["id"]!.GetValue<string>()), Sluice.Core.Model.JobKind.Sync);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/dags", new StringContent("name: nightly\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n", Encoding.UTF8, "application/yaml"))).StatusCode);
        var run = (await (await admin.PostAsJsonAsync("/api/v1/dags/nightly/trigger", new { })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "team-b" })).StatusCode);

        // A user who is admin of team-b only.
        var teamB = (await server.Store.Workspaces.FindByNameAsync("team-b"))!;
        var user = await server.Store.Identity.CreateUserAsync(new User { Id = Guid.Empty, Name = "b-admin", PasswordHash = Passwords.Hash("b-admin-password-1") });
        await server.Store.Identity.SetRoleAsync(user.Id, teamB.Id, Role.Admin);
        var secret = Tokens.New(Tokens.ApiPrefix);
        await server.Store.Identity.CreateTokenAsync(new ApiToken { Id = Guid.NewGuid(), UserId = user.Id, WorkspaceId = teamB.Id, Kind = TokenKinds.Api, Name = "b", TokenHash = Tokens.Hash(secret), Role = Role.Admin, CreatedAt = DateTimeOffset.UtcNow });
        using var b = server.WithToken(secret);

        foreach (var list in new[] { "jobs", "runs", "dags", "connections", "sources", "audit" })
        {
            var page = (await b.GetFromJsonAsync<JsonObject>($"/api/v1/{list}?workspace=team-b"))!;
            Assert.True(page["items"]!.AsArray().Count == 0, $"{list} of team-b shows {page.ToJsonString()}");
        }
        foreach (var url in new[] { $"/api/v1/jobs/{job.Id}", $"/api/v1/jobs/{job.Id}/logs", $"/api/v1/runs/{run}", $"/api/v1/runs/{run}/tasks", "/api/v1/dags/nightly", "/api/v1/dags/nightly/runs", "/api/v1/connections/c" })
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(url + "?workspace=team-b")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync("/api/v1/dags/nightly/trigger?workspace=team-b", JsonContent.Create(new { }))).StatusCode);
        // In the default workspace, where those live, b has no role at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await b.GetAsync($"/api/v1/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.GetAsync("/api/v1/runs")).StatusCode);
        // Nor can an admin of team-b grant themselves a role in the default workspace.
        var grab = await b.PutAsJsonAsync($"/api/v1/users/{user.Id}?workspace=team-b", new { roles = new Dictionary<string, string> { ["default"] = "admin", ["team-b"] = "admin" }, version = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, grab.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.GetAsync("/api/v1/connections")).StatusCode);
    }

    [Fact]
    public async Task Failed_logins_lock_the_address_too_and_a_disabled_user_is_refused_at_once()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Anonymous();
        using var admin = await server.AsAdminAsync();
        // Five different (unknown) accounts from one address: the address is locked even for the right password.
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { username = $"nobody{i}", password = "wrong-password-x" })).StatusCode);
        var locked = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestServer.AdminPassword });
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.Contains("address", await locked.Content.ReadAsStringAsync());

        // Credentials are cached for speed, but disabling the user takes effect on the very next request.
        using var viewer = await server.AsRoleAsync(Role.Viewer);
        var me = (await viewer.GetFromJsonAsync<JsonObject>("/api/v1/auth/me"))!;
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/connections")).StatusCode);
        var disabled = await admin.PutAsJsonAsync($"/api/v1/users/{me["id"]}", new { disabled = true, version = 1 });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/v1/connections")).StatusCode);
    }
}
