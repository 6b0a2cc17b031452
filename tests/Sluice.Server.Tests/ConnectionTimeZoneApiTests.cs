using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Runtime;
using Sluice.Orchestration.Scheduling;
using Sluice.Server.Definitions;

namespace Sluice.Server.Tests;

/// <summary>
/// A connection's cron schedule read in an IANA time zone: saved and returned by the API (a bad zone is a 400 naming
/// timeZone), applied from YAML (a bad zone names connections.NAME.timezone), and carried into the connection's
/// implicit DAG, whose next runs fall on the zone's wall-clock time.
/// </summary>
public sealed class ConnectionTimeZoneApiTests
{
    [Fact]
    public async Task A_connection_schedule_runs_in_its_time_zone_and_a_bad_zone_is_refused_naming_the_field()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        (await api.PostAsJsonAsync("/api/v1/sources", new { name = "gen", connector = "sample", config = new JsonObject { ["customers"] = 3, ["products"] = 2, ["orders"] = 4 } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "lite", connector = "sqlite", config = new JsonObject { ["path"] = Path.Combine(server.DataDir, "tz.db") } })).EnsureSuccessStatusCode();

        var bad = await api.PostAsJsonAsync("/api/v1/connections", new { name = "tz", source = "gen", destination = "lite", schedule = "30 9 * * *", timeZone = "Mars/Olympus" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("unknown time zone 'Mars/Olympus'", problem!["errors"]!["timeZone"]![0]!.GetValue<string>());
        Assert.Contains("IANA", problem["errors"]!["timeZone"]![0]!.GetValue<string>());

        var created = await api.PostAsJsonAsync("/api/v1/connections", new { name = "tz", source = "gen", destination = "lite", schedule = "30 9 * * *", timeZone = "America/New_York" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var connection = await created.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("America/New_York", connection!["timeZone"]!.GetValue<string>());
        var fetched = await api.GetFromJsonAsync<JsonObject>("/api/v1/connections/tz");
        Assert.Equal("America/New_York", fetched!["timeZone"]!.GetValue<string>());
        var listed = await api.GetFromJsonAsync<JsonObject>("/api/v1/connections");
        Assert.Equal("America/New_York", listed!["items"]![0]!["timeZone"]!.GetValue<string>());

        // The scheduler keeps the connection's implicit DAG, in the connection's zone.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        JsonObject? implicitDag = null;
        while (DateTime.UtcNow < deadline)
        {
            var response = await api.GetAsync("/api/v1/dags/" + Uri.EscapeDataString("connection:tz"));
            if (response.IsSuccessStatusCode && (implicitDag = await response.Content.ReadFromJsonAsync<JsonObject>())!["timeZone"]?.GetValue<string>() == "America/New_York")
                break;
            await Task.Delay(250);
        }
        Assert.Equal("America/New_York", implicitDag?["timeZone"]?.GetValue<string>());
        var nextRun = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(implicitDag!["nextRunAt"]!.GetValue<string>()), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal((9, 30), (nextRun.Hour, nextRun.Minute));

        // Without a zone the schedule is UTC, as before.
        var update = await api.PutAsJsonAsync("/api/v1/connections/tz", new { name = "tz", source = "gen", destination = "lite", schedule = "30 9 * * *", version = fetched["version"]!.GetValue<int>() });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("UTC", (await update.Content.ReadFromJsonAsync<JsonObject>())!["timeZone"]!.GetValue<string>());

        // The implicit DAG of the connection carries the zone: 09:30 in New York, whatever the offset of the day.
        var yaml = DagCatalog.ConnectionDagYaml("tz", "30 9 * * *", "America/New_York");
        var dag = DagParser.Parse(yaml);
        Assert.Equal("America/New_York", dag.TimeZone.Id);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        foreach (var fire in ScheduleText.NextFireTimes(dag.Schedule, DateTimeOffset.UtcNow, 3))
        {
            var local = TimeZoneInfo.ConvertTime(fire, zone);
            Assert.Equal((9, 30), (local.Hour, local.Minute));
        }
    }

    [Fact]
    public async Task Yaml_definitions_set_the_time_zone_and_a_bad_one_names_the_key()
    {
        await using var server = await TestServer.StartAsync();
        var applier = server.App.Services.GetRequiredService<DefinitionApplier>();
        var dir = Path.Combine(server.DataDir, "defs");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "sluice.yaml");
        string Definition(string zone) => $"""
            sources:
              - name: gen
                connector: sample
                config: {"{"}customers: 3, products: 2, orders: 4{"}"}
            destinations:
              - name: lite
                connector: sqlite
                config: {"{"}path: "{Path.Combine(server.DataDir, "yaml.db")}"{"}"}
            connections:
              - name: nightly
                source: gen
                destination: lite
                schedule: "0 2 * * *"
                timezone: {zone}
            """;

        await File.WriteAllTextAsync(file, Definition("Europe/Berlin"));
        await applier.ApplyPathAsync(dir, CancellationToken.None);
        var workspace = await server.Store.Workspaces.GetOrCreateDefaultAsync();
        var saved = await server.Store.Connections.FindByNameAsync(workspace.Id, "nightly");
        Assert.Equal("Europe/Berlin", saved!.TimeZone);

        await File.WriteAllTextAsync(file, Definition("Europe/Atlantis"));
        var error = await Assert.ThrowsAsync<DefinitionException>(() => applier.ApplyPathAsync(dir, CancellationToken.None));
        Assert.Contains("connections.nightly.timezone: unknown time zone 'Europe/Atlantis'", error.Message);
        Assert.Equal("Europe/Berlin", (await server.Store.Connections.FindByNameAsync(workspace.Id, "nightly"))!.TimeZone);
    }
}
