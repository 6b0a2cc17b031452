using System.Text.Json.Nodes;

namespace Sluice.Cli.Tests.Conformance;

/// <summary>
/// Every built-in connector driven through the real <c>sluice connector</c> CLI must print only valid Airbyte
/// protocol messages (checked against the protocol's AirbyteMessage schema), and <c>write</c> must echo a STATE only
/// once the rows before it can be read back from the destination.
/// </summary>
public sealed class ProtocolConformanceTests
{
    public static TheoryData<string> Sources => new(ConformanceTargets.Sources);
    public static TheoryData<string> Destinations => new(ConformanceTargets.Destinations);
    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("airbyte")]
    [InlineData("sample")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task Spec_prints_a_valid_spec_message(string connector)
    {
        var result = await SluiceCli.RunAsync(SluiceCli.TempDir(), null, "connector", "spec", connector);

        Assert.Equal(0, result.ExitCode);
        var messages = AssertValid(result.Stdout);
        Assert.Equal("SPEC", Assert.Single(messages)["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Check_discover_and_read_print_valid_messages(string connector)
    {
        var dir = SluiceCli.TempDir();
        var config = await WriteJsonAsync(dir, "config.json", await ConformanceTargets.SourceConfigAsync(connector, dir));

        var check = await SluiceCli.RunAsync(dir, null, "connector", "check", connector, "--config", config);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Equal("SUCCEEDED", AssertValid(check.Stdout).Single(m => Type(m) == "CONNECTION_STATUS")["connectionStatus"]!["status"]!.GetValue<string>());

        var discover = await SluiceCli.RunAsync(dir, null, "connector", "discover", connector, "--config", config);
        Assert.True(discover.ExitCode == 0, discover.All);
        var catalog = AssertValid(discover.Stdout).Single(m => Type(m) == "CATALOG")["catalog"]!;
        Assert.NotEmpty(catalog["streams"]!.AsArray());
        foreach (var stream in catalog["streams"]!.AsArray())
            Assert.Empty(await ProtocolSchema.StreamSchemaErrorsAsync(stream!["json_schema"]!));

        var read = await SluiceCli.RunAsync(dir, null, "connector", "read", connector, "--config", config);
        Assert.True(read.ExitCode == 0, read.All);
        var messages = AssertValid(read.Stdout);
        Assert.Contains(messages, m => Type(m) == "RECORD");
        Assert.Contains(messages, m => Type(m) == "STATE");
    }

    [Theory]
    [MemberData(nameof(Destinations))]
    public async Task Write_echoes_valid_states_for_committed_rows(string connector)
    {
        var (session, count) = await StartWriteAsync(connector);
        await using (session)
        {
            await session.SendAsync([.. Records(1, 3), State(3), .. Records(4, 2), State(5)]);
            var (exitCode, stderr) = await session.FinishAsync();

            Assert.True(exitCode == 0, stderr);
            var states = AssertValid(string.Join("\n", session.Lines)).Where(m => Type(m) == "STATE").ToList();
            Assert.Equal([3, 5], states.Select(s => s["state"]!["stream"]!["stream_state"]!["cursor"]!.GetValue<int>()));
            Assert.Equal(5, await count());
        }
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    [InlineData("airbyte")]
    public async Task Write_echoes_a_state_only_once_its_rows_can_be_read_back(string connector)
    {
        var (session, count) = await StartWriteAsync(connector);
        await using (session)
        {
            await session.SendAsync([.. Records(1, 3), State(3)]);
            Assert.NotNull(await session.ReadUntilAsync("\"STATE\"", TimeSpan.FromSeconds(30)));
            // Read while sluice still runs: the rows the STATE covers must already be committed.
            Assert.Equal(3, await count());
            await session.SendAsync([.. Records(4, 2), State(5)]);
            var (exitCode, stderr) = await session.FinishAsync();
            Assert.True(exitCode == 0, stderr);
            Assert.Equal(5, await count());
        }
    }

    private static async Task<(CliSession Session, Func<Task<long>> Count)> StartWriteAsync(string connector)
    {
        var dir = SluiceCli.TempDir();
        var (destination, count) = await ConformanceTargets.DestinationConfigAsync(connector, dir);
        var config = await WriteJsonAsync(dir, "config.json", destination);
        var catalog = await WriteJsonAsync(dir, "catalog.json", Catalog());
        return (new CliSession("connector", "write", connector, "--config", config, "--catalog", catalog, "--data-dir", dir), count);
    }

    private static JsonObject Catalog() => new()
    {
        ["streams"] = new JsonArray(new JsonObject
        {
            ["stream"] = new JsonObject
            {
                ["name"] = ConformanceTargets.WrittenTable,
                ["json_schema"] = JsonNode.Parse("""{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":["null","string"]}}}"""),
                ["supported_sync_modes"] = new JsonArray("full_refresh", "incremental"),
            },
            ["sync_mode"] = "incremental",
            ["destination_sync_mode"] = "append",
            ["cursor_field"] = new JsonArray("id"),
        }),
    };

    private static IEnumerable<string> Records(int first, int count) => Enumerable.Range(first, count).Select(i => new JsonObject
    {
        ["type"] = "RECORD",
        ["record"] = new JsonObject { ["stream"] = ConformanceTargets.WrittenTable, ["data"] = new JsonObject { ["id"] = i, ["name"] = $"row {i} ✓" }, ["emitted_at"] = 1 },
    }.ToJsonString());

    private static string State(int cursor) => new JsonObject
    {
        ["type"] = "STATE",
        ["state"] = new JsonObject
        {
            ["type"] = "STREAM",
            ["stream"] = new JsonObject
            {
                ["stream_descriptor"] = new JsonObject { ["name"] = ConformanceTargets.WrittenTable },
                ["stream_state"] = new JsonObject { ["cursor"] = cursor },
            },
        },
    }.ToJsonString();

    private static List<JsonObject> AssertValid(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var invalid = lines.Select(l => (Line: l, Errors: ProtocolSchema.Errors(l))).Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.Line[..Math.Min(200, x.Line.Length)]} -> {string.Join(", ", x.Errors)}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
        return lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    private static string Type(JsonObject message) => message["type"]!.GetValue<string>();

    private static async Task<string> WriteJsonAsync(string dir, string name, JsonNode json)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }
}
