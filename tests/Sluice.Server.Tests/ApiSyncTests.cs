using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>A PostgreSQL-to-PostgreSQL sync driven only through the REST API, as a script would.</summary>
public sealed class ApiSyncTests
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

    [Fact]
    public async Task Create_source_destination_connection_then_sync_and_read_job_stats_and_log()
    {
        var pg = await PostgresServer.InstanceAsync();
        var sourceDb = await pg.CreateDatabaseAsync("apisrc");
        var destinationDb = await pg.CreateDatabaseAsync("apidst");
        await pg.ExecuteAsync(sourceDb, "create table orders(id bigint primary key, amount numeric(12,2), note text); insert into orders select g, g / 10.0, 'n' || g from generate_series(1, 3000) g;");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();

        var invalid = await api.PostAsJsonAsync("/api/v1/sources", new { name = "bad", connector = "postgres", config = new JsonObject { ["host"] = "h", ["port"] = "abc", ["database"] = "d", ["username"] = "u" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("must be an integer", problem["errors"]!["port"]![0]!.GetValue<string>());

        var source = await api.PostAsJsonAsync("/api/v1/sources", new { name = "shop", connector = "postgres", config = PgConfig(pg, sourceDb, true) });
        Assert.Equal(HttpStatusCode.Created, source.StatusCode);
        var destination = await api.PostAsJsonAsync("/api/v1/destinations", new { name = "warehouse", connector = "postgres", config = PgConfig(pg, destinationDb, false) });
        Assert.Equal(HttpStatusCode.Created, destination.StatusCode);
        var check = await (await api.PostAsync("/api/v1/sources/shop/check", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(check!["succeeded"]!.GetValue<bool>(), check.ToJsonString());

        var connection = await api.PostAsJsonAsync("/api/v1/connections", new { name = "orders", source = "shop", destination = "warehouse", streams = new JsonArray(new JsonObject { ["name"] = "orders", ["namespace"] = "public" }) });
        Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        var version = (await connection.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>();

        var stale = await api.PutAsJsonAsync("/api/v1/connections/orders", new { name = "orders", source = "shop", destination = "warehouse", version = version + 5 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var accepted = await api.PostAsync("/api/v1/connections/orders/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        JsonObject job;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        do
        {
            await Task.Delay(200);
            job = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{jobId}"))!;
        }
        while (job["status"]!.GetValue<string>() is "pending" or "running" && DateTime.UtcNow < deadline);

        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        Assert.Equal(3000, job["stats"]!["recordsRead"]!.GetValue<long>());
        Assert.Equal(3000, job["stats"]!["recordsCommitted"]!.GetValue<long>());
        Assert.Equal(3000, await pg.ScalarAsync<long>(destinationDb, "select count(*) from orders"));
        var log = await api.GetStringAsync($"/api/v1/jobs/{jobId}/logs");
        Assert.Contains("succeeded: 3000 records", log);
        var jobs = await api.GetFromJsonAsync<JsonObject>("/api/v1/connections/orders/jobs");
        Assert.Equal(jobId, jobs!["items"]![0]!["id"]!.GetValue<long>());

        var openApi = await api.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/sources", "/api/v1/destinations", "/api/v1/connections", "/api/v1/connections/{id}/sync", "/api/v1/jobs/{id}", "/healthz" })
            Assert.True(openApi!["paths"]!.AsObject().ContainsKey(path), $"OpenAPI lacks {path}");
    }
}
