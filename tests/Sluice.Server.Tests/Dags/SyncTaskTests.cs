using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Server.Tests.Dags;

/// <summary>sync tasks: a DAG runs a stored connection's sync, and a DAG naming a connection that does not exist is refused.</summary>
public sealed class SyncTaskTests
{
    private static JsonObject PgConfig(PostgresServer server, string database, bool source) => new()
    {
        ["host"] = "127.0.0.1", ["port"] = server.Port, ["database"] = database, ["username"] = "postgres", ["password"] = PostgresServer.Password,
        [source ? "schemas" : "schema"] = source ? new JsonArray("public") : "public",
    };

    [Fact]
    public async Task A_sync_task_runs_the_stored_connection_records_the_job_and_feeds_the_next_task()
    {
        var pg = await PostgresServer.InstanceAsync();
        var sourceDb = await pg.CreateDatabaseAsync("dagsrc");
        var destinationDb = await pg.CreateDatabaseAsync("dagdst");
        await pg.ExecuteAsync(sourceDb, "create table orders(id bigint primary key, amount numeric(12,2)); insert into orders select g, g / 10.0 from generate_series(1, 500) g;");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        (await api.PostAsJsonAsync("/api/v1/sources", new { name = "shop", connector = "postgres", config = PgConfig(pg, sourceDb, true) })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "warehouse", connector = "postgres", config = PgConfig(pg, destinationDb, false) })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/connections", new
        {
            name = "orders", source = "shop", destination = "warehouse", streams = new JsonArray(new JsonObject { ["name"] = "orders", ["namespace"] = "public" }),
        })).EnsureSuccessStatusCode();

        var applied = await DagApi.ApplyAsync(api, """
            name: nightly
            tasks:
              - id: extract
                type: sync
                connection: orders
              - id: summarize
                type: sql
                connection: orders
                sql: create table order_total as select count(*) as n, sum(amount) as total from orders
                depends_on: [extract]
            """);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var (run, tasks) = await DagApi.WaitAsync(api, await DagApi.TriggerAsync(api, "nightly"));

        Assert.Equal("success", run["state"]!.GetValue<string>());
        var jobs = (await api.GetFromJsonAsync<JsonObject>("/api/v1/connections/orders/jobs"))!["items"]!.AsArray();
        var job = Assert.Single(jobs)!;
        Assert.Equal(("succeeded", 500), (job["status"]!.GetValue<string>(), job["stats"]!["recordsCommitted"]!.GetValue<long>()));
        Assert.Contains($"sync job {job["id"]!.GetValue<long>()}: succeeded, 500 records", await DagApi.LogAsync(api, run["id"]!.GetValue<long>(), "extract"));
        Assert.Equal(500, await pg.ScalarAsync<long>(destinationDb, "select n from order_total"));
        Assert.True(tasks["extract"]["endedAt"]!.GetValue<DateTimeOffset>() <= tasks["summarize"]["startedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_dag_naming_an_unknown_connection_is_refused_at_apply_time_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();

        var refused = await DagApi.ApplyAsync(api, """
            name: broken
            tasks:
              - id: extract
                type: sync
                connection: ordres
              - id: build
                type: sql
                connection: ghost
                sql: select 1
            """);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.Contains("task 'extract', field 'connection': unknown connection 'ordres'"));
        Assert.Contains(errors, e => e.Contains("task 'build', field 'connection': unknown connection 'ghost'"));
        Assert.Empty((await api.GetFromJsonAsync<JsonObject>("/api/v1/dags"))!["items"]!.AsArray());
    }
}
