using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>
/// A source password goes through a whole user journey (create, get, list, update with the mask, check, connection,
/// sync, logs) and must then appear nowhere: not in the metadata database file, any API response, or the server log.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task A_source_password_never_leaves_the_server_in_clear()
    {
        var pg = await PostgresServer.InstanceAsync();
        var database = await pg.CreateDatabaseAsync("leak");
        var secret = $"Leak-{Guid.NewGuid():N}";
        var role = $"leak_{Guid.NewGuid():N}"[..20];
        await pg.ExecuteAsync("postgres", $"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{secret}'");
        await pg.ExecuteAsync(database, "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people VALUES (1, 'ada'), (2, 'grace')");

        await using var server = await TestServer.StartAsync();
        using var client = await server.AsAdminAsync();
        var seen = new StringBuilder();
        async Task<JsonNode?> Call(HttpMethod method, string url, object? body = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            seen.Append(response.Headers).Append(response.Content.Headers).AppendLine(text);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            return text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : JsonValue.Create(text);
        }

        var config = new JsonObject { ["host"] = pg.Host, ["port"] = pg.Port, ["database"] = database, ["username"] = role, ["password"] = secret };
        var source = await Call(HttpMethod.Post, "/api/v1/sources", new { name = "pg", connector = "postgres", config });
        Assert.Equal("**********", source!["config"]!["password"]!.GetValue<string>());
        var id = source["id"]!.GetValue<string>();
        await Call(HttpMethod.Get, $"/api/v1/sources/{id}");
        await Call(HttpMethod.Get, "/api/v1/sources");
        var masked = (JsonObject)source["config"]!.DeepClone();
        masked["port"] = pg.Port;
        await Call(HttpMethod.Put, $"/api/v1/sources/{id}", new { name = "pg", connector = "postgres", config = masked, version = source["version"]!.GetValue<int>() });
        var check = await Call(HttpMethod.Post, $"/api/v1/sources/{id}/check");
        Assert.True(check!["succeeded"]!.GetValue<bool>(), check.ToJsonString());
        var destinationPath = Path.Combine(server.DataDir, "out.db");
        await Call(HttpMethod.Post, "/api/v1/destinations", new { name = "out", connector = "sqlite", config = new JsonObject { ["path"] = destinationPath } });
        var connection = await Call(HttpMethod.Post, "/api/v1/connections", new { name = "pg-to-sqlite", source = "pg", destination = "out" });
        var job = await Call(HttpMethod.Post, $"/api/v1/connections/{connection!["id"]}/sync");
        var jobId = job!["id"]!.GetValue<long>();
        string status;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            status = (await Call(HttpMethod.Get, $"/api/v1/jobs/{jobId}"))!["status"]!.GetValue<string>();
        } while (status is "Pending" or "Running" or "pending" or "running" && DateTime.UtcNow < deadline);
        Assert.Equal("succeeded", status.ToLowerInvariant());
        await Call(HttpMethod.Get, $"/api/v1/jobs/{jobId}/logs");
        await Call(HttpMethod.Get, $"/api/v1/jobs/{jobId}/attempts");
        await Call(HttpMethod.Get, "/api/v1/audit");

        Assert.DoesNotContain(secret, seen.ToString());
        Assert.DoesNotContain(server.Log.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        NpgsqlConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(server.DataDir, "sluice.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(secret, StringComparison.Ordinal), $"{file} holds the secret in clear");
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
