using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Model;

namespace Sluice.Server.Tests;

/// <summary>
/// An external Airbyte-protocol connector (the Python test connector) through the API: its own spec is shown, and
/// validates and protects the config (airbyte_secret fields encrypted at rest and masked in responses).
/// </summary>
public sealed class AirbyteSpecApiTests
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Airbyte", "fixtures", "fake_connector.py");

    private static JsonObject Config(JsonObject inner) => new()
    {
        ["command"] = "python3", ["args"] = new JsonArray("-u", Script), ["config"] = inner,
    };

    [Fact]
    public async Task The_external_spec_is_shown_validates_the_config_and_its_secrets_are_sealed_and_masked()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();

        var spec = await (await api.PostAsJsonAsync("/api/v1/connectors/airbyte/spec", new { config = Config([]) })).Content.ReadFromJsonAsync<JsonObject>();
        var external = spec!["connectionSpecification"]!["properties"]!["config"]!["properties"]!;
        Assert.True(external["api_key"]!["airbyte_secret"]!.GetValue<bool>());
        Assert.Equal("integer", external["rows"]!["type"]!.GetValue<string>());
        Assert.Equal("https://example.com/fake", spec["documentationUrl"]!.GetValue<string>());

        var invalid = await api.PostAsJsonAsync("/api/v1/sources", new { name = "fake", connector = "airbyte", config = Config(new JsonObject { ["rows"] = "many" }) });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("config.rows", await invalid.Content.ReadAsStringAsync());

        var created = await api.PostAsJsonAsync("/api/v1/sources", new
        {
            name = "fake", connector = "airbyte", config = Config(new JsonObject { ["api_key"] = "top-secret-key-42", ["rows"] = 3 }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("top-secret-key-42", body);
        Assert.Equal("**********", JsonNode.Parse(body)!["config"]!["config"]!["api_key"]!.GetValue<string>());
        var workspace = await server.Store.Workspaces.GetOrCreateDefaultAsync();
        var stored = await server.Store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, "fake");
        Assert.DoesNotContain("top-secret-key-42", stored!.Config.ToJsonString());
        Assert.DoesNotContain("top-secret-key-42", await api.GetStringAsync("/api/v1/sources/fake"));

        // The connector still gets the plaintext: its check fails only for api_key "bad".
        var check = await (await api.PostAsync("/api/v1/sources/fake/check", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(check!["succeeded"]!.GetValue<bool>(), check.ToJsonString());

        // Sending the mask back keeps the stored secret.
        var updated = await api.PutAsJsonAsync("/api/v1/sources/fake", new
        {
            name = "fake", connector = "airbyte", config = Config(new JsonObject { ["api_key"] = "**********", ["rows"] = 4 }), version = stored.Version,
        });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await server.Store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, "fake");
        Assert.Equal(stored.Config["config"]!["api_key"]!.ToJsonString(), after!.Config["config"]!["api_key"]!.ToJsonString());
    }
}
