using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary>What the web UI needs beyond CRUD: the next fire times of a schedule, a refused bad schedule, a DAG's next run and task graph.</summary>
public sealed class ScheduleAndDagApiTests
{
    [Fact]
    public async Task Previews_the_next_fire_times_and_explains_a_bad_schedule_next_to_its_field()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();

        var daily = await api.GetFromJsonAsync<JsonObject>("/api/v1/schedules/preview?schedule=30%203%20*%20*%20*&count=3");
        var times = daily!["next"]!.AsArray().Select(t => DateTimeOffset.Parse(t!.GetValue<string>())).ToList();
        Assert.Equal(3, times.Count);
        Assert.All(times, t => Assert.Equal((3, 30, TimeSpan.Zero), (t.Hour, t.Minute, t.Offset)));
        Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(TimeSpan.FromDays(1), p.Second - p.First));
        Assert.True(times[0] > DateTimeOffset.UtcNow);
        Assert.Equal("cron", daily["kind"]!.GetValue<string>());

        // In a time zone the times carry its offset; an interval lands on multiples of itself from the epoch.
        var berlin = await api.GetFromJsonAsync<JsonObject>("/api/v1/schedules/preview?schedule=0%209%20*%20*%20*&timezone=Europe/Berlin&count=1");
        var nine = DateTimeOffset.Parse(berlin!["next"]![0]!.GetValue<string>());
        Assert.Equal(9, nine.Hour);
        Assert.NotEqual(TimeSpan.Zero, nine.Offset);
        var every = await api.GetFromJsonAsync<JsonObject>("/api/v1/schedules/preview?schedule=@every%2015m&count=2");
        Assert.All(every!["next"]!.AsArray(), t => Assert.Equal(0, DateTimeOffset.Parse(t!.GetValue<string>()).Minute % 15));
        var manual = await api.GetFromJsonAsync<JsonObject>("/api/v1/schedules/preview?schedule=manual");
        Assert.Empty(manual!["next"]!.AsArray());

        await AssertFieldErrorAsync(await api.GetAsync("/api/v1/schedules/preview?schedule=61%20*%20*%20*%20*"), "schedule", "invalid cron expression");
        await AssertFieldErrorAsync(await api.GetAsync("/api/v1/schedules/preview?schedule=0%203%20*%20*"), "schedule", "has 4 fields");
        await AssertFieldErrorAsync(await api.GetAsync("/api/v1/schedules/preview?schedule=@fortnightly"), "schedule", "unknown schedule preset");
        await AssertFieldErrorAsync(await api.GetAsync("/api/v1/schedules/preview?schedule=@daily&timezone=Mars/Olympus"), "timezone", "unknown time zone");

        // A connection with a schedule the scheduler could not use is refused when saved, not later in a log.
        await AssertFieldErrorAsync(await api.PostAsJsonAsync("/api/v1/connections", new { name = "c", source = "shop", destination = "warehouse", schedule = "0 25 * * *" }),
            "schedule", "invalid cron expression");
    }

    [Fact]
    public async Task Dags_list_their_last_and_next_run_and_their_task_graph()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        const string yaml = """
            name: graph
            schedule: "0 0 * * *"
            params: { who: world }
            tasks:
              - { id: a, type: command, command: "true" }
              - { id: b, type: command, command: "true", depends_on: [a] }
              - { id: c, type: command, command: "true", depends_on: [a, b], trigger_rule: all_done }
            """;
        (await api.PostAsync("/api/v1/dags", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();

        var dag = await api.GetFromJsonAsync<JsonObject>("/api/v1/dags/graph");
        var tasks = dag!["tasks"]!.AsArray();
        Assert.Equal(["a", "b", "c"], tasks.Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(["a", "b"], tasks[2]!["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("all_done", tasks[2]!["triggerRule"]!.GetValue<string>());
        Assert.Equal("world", dag["params"]!["who"]!.GetValue<string>());
        var next = DateTimeOffset.Parse(dag["nextRunAt"]!.GetValue<string>());
        Assert.Equal((0, 0), (next.Hour, next.Minute));
        Assert.True(next > DateTimeOffset.UtcNow);

        var listed = (await api.GetFromJsonAsync<JsonNode>("/api/v1/dags"))!;
        var summary = (listed as JsonArray ?? listed["items"]!.AsArray()).Single(d => d!["name"]!.GetValue<string>() == "graph")!;
        Assert.Equal(dag["nextRunAt"]!.GetValue<string>(), summary["nextRunAt"]!.GetValue<string>());
        Assert.Null(summary["lastRun"]);

        var run = await (await api.PostAsJsonAsync("/api/v1/dags/graph/trigger", new { })).Content.ReadFromJsonAsync<JsonObject>();
        listed = (await api.GetFromJsonAsync<JsonNode>("/api/v1/dags"))!;
        summary = (listed as JsonArray ?? listed["items"]!.AsArray()).Single(d => d!["name"]!.GetValue<string>() == "graph")!;
        Assert.Equal(run!["id"]!.GetValue<long>(), summary["lastRun"]!["id"]!.GetValue<long>());
        Assert.Equal("manual", summary["lastRun"]!["runType"]!.GetValue<string>());

        (await api.PostAsync("/api/v1/dags/graph/pause", null)).EnsureSuccessStatusCode();
        Assert.Null((await api.GetFromJsonAsync<JsonObject>("/api/v1/dags/graph"))!["nextRunAt"]);
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field, string text)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var message = problem!["errors"]![field]![0]!.GetValue<string>();
        Assert.Contains(text, message);
    }
}
