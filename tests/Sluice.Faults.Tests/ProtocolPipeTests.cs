using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.Faults.Tests;

/// <summary>
/// The Airbyte-protocol level of the resumption guarantee: <c>sluice connector read | sluice connector write</c>
/// killed with -9 at many points, each time restarted with <c>read --state</c> from the last STATE the writer printed,
/// ends with the destination equal to the source. The writer prints a STATE only once everything before it is
/// committed; were it printed earlier, the rows it covers would never be read again and the copy would miss them.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ProtocolPipeTests(ITestOutputHelper output)
{
    private const int Rows = 40_000; // 40 ranges: the 10 points consume 1-3 states each plus the timed ones, and must not reach the end
    private const int Points = 10;

    [Fact]
    public async Task A_killed_read_pipe_write_restarted_from_the_last_printed_state_converges_to_the_source()
    {
        var source = await ScenarioDatabase.CreateAsync(DbEngine.Postgres, "pipesrc");
        var destination = await ScenarioDatabase.CreateAsync(DbEngine.Postgres, "pipedst");
        await source.CreateItemsAsync(Rows);
        var dir = ScratchFolder.Create("sluice-pipe-");
        await WriteConfigsAsync(dir, source, destination);

        var clock = Stopwatch.StartNew();
        string? stateFile = null;
        int run = 0, killed = 0, resumed = 0;
        for (var point = 0; point < Points; point++, run++)
        {
            using var pipe = ConnectorPipe.Start(dir, run, stateFile);
            // Kill points step through the writer's commits: after 1-3 printed states, then 0-120 ms later (before,
            // during and after the next commit); every fourth point a stepped delay lands in start-up or the first range.
            if (point % 4 == 3)
                await Task.Delay(TimeSpan.FromMilliseconds(150 * (point % 8)));
            else if (await pipe.WaitForStatesAsync(1 + point % 3))
                await Task.Delay(TimeSpan.FromMilliseconds(40 * (point % 4)));
            var wasKilled = await pipe.KillAsync();
            killed += wasKilled ? 1 : 0;
            var printed = pipe.States();
            output.WriteLine($"point {point}: {(wasKilled ? "killed" : "had ended")} after {printed.Count} printed state(s)");
            if (!wasKilled)
            {
                Assert.True(pipe.ExitCode == 0, await ErrorsAsync(dir, run));
                break; // the pipeline finished before its kill point
            }
            if (printed.Count > 0)
            {
                // The restart resumes from the last STATE this run printed, exactly as a caller would.
                stateFile = Path.Combine(dir, $"state-{run}.json");
                await File.WriteAllTextAsync(stateFile, printed[^1]);
                resumed++;
            }
        }

        using (var last = ConnectorPipe.Start(dir, ++run, stateFile))
        {
            await last.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(last.ExitCode == 0, await ErrorsAsync(dir, run));
            Assert.NotEmpty(last.States());
        }

        output.WriteLine($"{Rows:N0} rows, {Points} kill points: {killed} killed a running pipeline, {resumed} resumed from a printed state; converged in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(await source.DigestAsync(destination: false), await destination.DigestAsync(destination: true));
        Assert.Equal(0, await destination.DuplicateKeysAsync());
        Assert.True(killed >= Points / 2, $"only {killed} of {Points} kills hit a running pipeline");
        Assert.True(resumed >= Points / 4, $"only {resumed} of {Points} restarts resumed from a printed state");
    }

    /// <summary>Source and destination configs, and the catalog: incremental by updated_at, deduplicated on id.</summary>
    private static async Task WriteConfigsAsync(string dir, ScenarioDatabase source, ScenarioDatabase destination)
    {
        JsonObject Config(ScenarioDatabase database) => new()
        {
            ["host"] = "127.0.0.1",
            ["port"] = database.Postgres.Port,
            ["database"] = database.Name,
            ["username"] = PostgresServer.User,
            ["password"] = PostgresServer.Password,
            ["checkpoint_rows"] = 1_000,
            ["schema"] = "raw",
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "source.json"), Config(source).ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(dir, "destination.json"), Config(destination).ToJsonString());

        using var discover = SluiceProcess.Start(dir, new Dictionary<string, string>(), "connector", "discover", "postgres", "--config", Path.Combine(dir, "source.json"));
        await discover.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(discover.ExitCode == 0, discover.Output);
        var catalog = discover.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimStart().StartsWith('{') ? JsonNode.Parse(line) : null)
            .Single(m => m?["type"]?.GetValue<string>() == "CATALOG")!["catalog"]!;
        var items = catalog["streams"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "items")!;
        await File.WriteAllTextAsync(Path.Combine(dir, "catalog.json"), new JsonObject
        {
            ["streams"] = new JsonArray(new JsonObject
            {
                ["stream"] = items.DeepClone(),
                ["sync_mode"] = "incremental",
                ["destination_sync_mode"] = "append_dedup",
                ["cursor_field"] = new JsonArray("updated_at"),
                ["primary_key"] = new JsonArray(new JsonArray("id")),
            }),
        }.ToJsonString());
    }

    private static async Task<string> ErrorsAsync(string dir, int run)
    {
        var read = Path.Combine(dir, $"read-{run}.err");
        var write = Path.Combine(dir, $"write-{run}.err");
        return $"run {run} failed\nread: {(File.Exists(read) ? await File.ReadAllTextAsync(read) : "")}\nwrite: {(File.Exists(write) ? await File.ReadAllTextAsync(write) : "")}";
    }
}
