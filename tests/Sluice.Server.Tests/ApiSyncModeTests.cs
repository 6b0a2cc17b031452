using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary>A connection may only ask its destination for a sync mode the destination can do.</summary>
public sealed class ApiSyncModeTests
{
    [Fact]
    public async Task A_deduplicated_stream_into_a_file_destination_is_refused_naming_the_field_and_the_modes_it_has()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/sources", new { name = "shop", connector = "sample", config = new { customers = 10, products = 2, orders = 0 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "lake", connector = "file", config = new { root = server.DataDir, path = "lake", format = "jsonl" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "db", connector = "sqlite", config = new { path = Path.Combine(server.DataDir, "db.sqlite") } })).StatusCode);

        foreach (var mode in new[] { "append_dedup", "overwrite_dedup" })
        {
            var refused = await api.PostAsJsonAsync("/api/v1/connections", Connection("to-lake", "lake", mode));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var detail = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
            Assert.Contains($"connection.streams[0].destination_sync_mode: the file destination does not support {mode}; use one of overwrite, append", detail);
        }
        // A destination that deduplicates takes both deduplicated modes (overwrite_dedup is in no spec: the protocol has no such value).
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/connections", Connection("to-db", "db", "overwrite_dedup"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/connections", Connection("to-lake", "lake", "append"))).StatusCode);
    }

    private static object Connection(string name, string destination, string mode) => new
    {
        name,
        source = "shop",
        destination,
        status = "paused",
        streams = new[] { new { name = "customers", sync_mode = "full_refresh", destination_sync_mode = mode, primary_key = new[] { "id" } } },
    };
}
