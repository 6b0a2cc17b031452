using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Metadata.Identity;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>A source schema change seen through the REST API: the pause, the history, the 409 on sync, resume and manual pause.</summary>
public sealed class ApiSchemaChangesTests
{
    private static JsonObject PgConfig(PostgresServer server, string database, bool source) => new()
    {
        ["host"] = "127.0.0.1",
        ["port"] = server.Port,
        ["database"] = database,
        ["username"] = "postgres",
        ["password"] = PostgresServer.Password,
        [source ? "schemas" : "schema"] = source ? new JsonArray("public") : "public",
    };

    private static async Task<JsonObject> SyncAsync(HttpClient api)
    {
        var accepted = await api.PostAsync("/api/v1/connections/orders/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        JsonObject job;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        do
        {
            await Task.Delay(200);
            job = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}"))!;
        }
        while (job["status"]!.GetValue<string>() is "pending" or "running" && DateTime.UtcNow < deadline);
        return job;
    }

    [Fact]
    public async Task A_paused_connection_reports_its_changes_refuses_syncs_and_resumes()
    {
        var pg = await PostgresServer.InstanceAsync();
        var sourceDb = await pg.CreateDatabaseAsync("apievo");
        var destinationDb = await pg.CreateDatabaseAsync("apievodst");
        await pg.ExecuteAsync(sourceDb, "create table orders(id integer primary key, qty integer); insert into orders values (1, 10), (2, 20);");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        using var viewer = await server.AsRoleAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/sources", new { name = "shop", connector = "postgres", config = PgConfig(pg, sourceDb, true) })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "warehouse", connector = "postgres", config = PgConfig(pg, destinationDb, false) })).StatusCode);
        var created = await api.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "orders", source = "shop", destination = "warehouse", schemaChangePolicy = "pause",
            streams = new JsonArray(new JsonObject { ["name"] = "orders", ["namespace"] = "public", ["destination_sync_mode"] = "append" }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("succeeded", (await SyncAsync(api))["status"]!.GetValue<string>());

        await pg.ExecuteAsync(sourceDb, "alter table orders add column note text; insert into orders values (3, 30, 'new');");
        var failed = await SyncAsync(api);

        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Contains("paused for source schema changes: stream public.orders: column note (string) added", failed["error"]!.GetValue<string>());
        Assert.Equal("paused", (await api.GetFromJsonAsync<JsonObject>("/api/v1/connections/orders"))!["status"]!.GetValue<string>());
        var refused = await api.PostAsync("/api/v1/connections/orders/sync", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("connection paused", problem["title"]!.GetValue<string>());
        Assert.Contains("column note (string) added", problem["detail"]!.GetValue<string>());

        var history = (await viewer.GetFromJsonAsync<JsonObject>("/api/v1/connections/orders/schema-changes"))!;
        var change = Assert.Single(history["items"]!.AsArray())!;
        Assert.Equal(("orders", "public", "column_added", "note", "string", "paused"),
            (change["stream"]!.GetValue<string>(), change["streamNamespace"]!.GetValue<string>(), change["kind"]!.GetValue<string>(),
             change["column"]!.GetValue<string>(), change["newType"]!.GetValue<string>(), change["action"]!.GetValue<string>()));
        Assert.Equal(failed["id"]!.GetValue<long>(), change["jobId"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/connections/orders/resume", null)).StatusCode);
        var resumed = await api.PostAsync("/api/v1/connections/orders/resume", null);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var body = (await resumed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("active", body["status"]!.GetValue<string>());
        Assert.Equal("applied", body["acceptedChanges"]![0]!["action"]!.GetValue<string>());
        Assert.Equal("succeeded", (await SyncAsync(api))["status"]!.GetValue<string>());
        Assert.Equal("new", await pg.ScalarAsync<string>(destinationDb, "select note from orders where id = 3"));
        var newest = (await api.GetFromJsonAsync<JsonObject>("/api/v1/connections/orders/schema-changes?limit=1"))!;
        Assert.Equal("applied", newest["items"]![0]!["action"]!.GetValue<string>());
        Assert.NotNull(newest["next"]?.GetValue<string>());

        var paused = await api.PostAsync("/api/v1/connections/orders/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var manual = await api.PostAsync("/api/v1/connections/orders/sync", null);
        Assert.Equal(HttpStatusCode.Conflict, manual.StatusCode);
        Assert.Contains("connection orders is paused; resume it", (await manual.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/connections/nope/schema-changes")).StatusCode);

        var openApi = await api.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/connections/{id}/schema-changes", "/api/v1/connections/{id}/pause", "/api/v1/connections/{id}/resume" })
            Assert.True(openApi!["paths"]!.AsObject().ContainsKey(path), $"OpenAPI lacks {path}");
    }
}
