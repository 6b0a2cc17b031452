using System.Text.Json.Nodes;

namespace Sluice.Cli.Tests;

public sealed class ConnectorCommandTests
{
    [Fact]
    public async Task Spec_prints_one_airbyte_spec_message()
    {
        var result = await SluiceCli.RunAsync(SluiceCli.TempDir(), null, "connector", "spec", "sample");
        Assert.Equal(0, result.ExitCode);
        var message = JsonNode.Parse(result.Stdout.Trim())!;
        Assert.Equal("SPEC", message["type"]!.GetValue<string>());
        Assert.Equal("object", message["spec"]!["connectionSpecification"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Spec_of_an_external_airbyte_connector_shows_its_own_fields_and_check_validates_against_them()
    {
        var dir = SluiceCli.TempDir();
        var script = Path.Combine(AppContext.BaseDirectory, "Airbyte", "fixtures", "fake_connector.py");
        JsonObject Config(JsonObject inner) => new() { ["command"] = "python3", ["args"] = new JsonArray("-u", script), ["config"] = inner };
        var good = Path.Combine(dir, "good.json");
        await File.WriteAllTextAsync(good, Config(new JsonObject { ["api_key"] = "k", ["rows"] = 2 }).ToJsonString());
        var bad = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(bad, Config(new JsonObject { ["rows"] = "many" }).ToJsonString());

        var wrapper = JsonNode.Parse((await SluiceCli.RunAsync(dir, null, "connector", "spec", "airbyte")).Stdout.Trim())!;
        var spec = await SluiceCli.RunAsync(dir, null, "connector", "spec", "airbyte", "--config", good);
        var check = await SluiceCli.RunAsync(dir, null, "connector", "check", "airbyte", "--config", good);
        var refused = await SluiceCli.RunAsync(dir, null, "connector", "check", "airbyte", "--config", bad);

        Assert.Null(wrapper["spec"]!["connectionSpecification"]!["properties"]!["config"]!["properties"]);
        Assert.Equal(0, spec.ExitCode);
        var external = JsonNode.Parse(spec.Stdout.Trim())!["spec"]!["connectionSpecification"]!["properties"]!["config"]!["properties"]!;
        Assert.True(external["api_key"]!["airbyte_secret"]!.GetValue<bool>());
        Assert.Equal("SUCCEEDED", JsonNode.Parse(check.Stdout.Trim())!["connectionStatus"]!["status"]!.GetValue<string>());
        Assert.NotEqual(0, refused.ExitCode);
        var status = JsonNode.Parse(refused.Stdout.Trim())!["connectionStatus"]!;
        Assert.Equal("FAILED", status["status"]!.GetValue<string>());
        Assert.Contains("config.rows", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Read_prints_records_and_states_and_resumes_from_a_state_file()
    {
        var dir = SluiceCli.TempDir();
        var config = Path.Combine(dir, "config.json");
        await File.WriteAllTextAsync(config, """{"customers": 30, "products": 3, "orders": 0, "batch_rows": 10}""");
        var catalogResult = await SluiceCli.RunAsync(dir, null, "connector", "discover", "sample", "--config", config);
        var catalog = JsonNode.Parse(catalogResult.Stdout.Trim())!["catalog"]!;
        var customers = catalog["streams"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == "customers")!;
        var configured = Path.Combine(dir, "catalog.json");
        await File.WriteAllTextAsync(configured, new JsonObject
        {
            ["streams"] = new JsonArray(new JsonObject
            {
                ["stream"] = customers.DeepClone(),
                ["sync_mode"] = "incremental",
                ["destination_sync_mode"] = "append",
                ["cursor_field"] = new JsonArray("id"),
            }),
        }.ToJsonString());
        var state = Path.Combine(dir, "state.json");
        await File.WriteAllTextAsync(state, """[{"type":"STREAM","stream":{"stream_descriptor":{"name":"customers"},"stream_state":{"cursor":20}}}]""");

        var read = await SluiceCli.RunAsync(dir, null, "connector", "read", "sample", "--config", config, "--catalog", configured, "--state", state);

        Assert.Equal(0, read.ExitCode);
        var lines = read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var records = lines.Where(l => l["type"]!.GetValue<string>() == "RECORD").ToList();
        Assert.Equal(10, records.Count);
        Assert.Equal(21, records[0]["record"]!["data"]!["id"]!.GetValue<long>());
        Assert.Contains(lines, l => l["type"]!.GetValue<string>() == "STATE" && l["state"]!["stream"]!["stream_state"]!["cursor"]!.GetValue<long>() == 30);
    }

    [Fact]
    public async Task Invalid_config_names_the_field_and_exits_with_invalid_input()
    {
        var dir = SluiceCli.TempDir();
        var config = Path.Combine(dir, "config.json");
        await File.WriteAllTextAsync(config, """{"customers": "many"}""");
        var result = await SluiceCli.RunAsync(dir, null, "connector", "discover", "sample", "--config", config);
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("customers: must be an integer", result.Stderr);
        Assert.DoesNotContain("   at ", result.All);
        var trace = JsonNode.Parse(result.Stdout.Trim())!;
        Assert.Equal("config_error", trace["trace"]!["error"]!["failure_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_connector_lists_the_known_ones()
    {
        var result = await SluiceCli.RunAsync(SluiceCli.TempDir(), null, "connector", "spec", "oracle");
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("unknown connector 'oracle'", result.Stderr);
        Assert.Contains("sample", result.Stderr);
    }
}
