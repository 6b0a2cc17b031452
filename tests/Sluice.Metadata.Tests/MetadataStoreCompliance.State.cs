using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.State;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    private static readonly StreamDescriptor Orders = new("orders", "public");
    private static readonly StreamDescriptor OrdersNoNamespace = new("orders");
    private static readonly StreamDescriptor OrdersArchive = new("orders", "archive");

    [Fact]
    public async Task State_of_a_new_connection_is_empty()
    {
        var state = await Store.State.GetAsync((await ConnectionAsync()).Id);

        Assert.Empty(state.Streams);
        Assert.Null(state.Global);
        Assert.Empty((await Store.State.GetAsync(Guid.NewGuid())).Streams);
    }

    [Fact]
    public async Task State_round_trips_arbitrary_json_per_stream_and_global()
    {
        var connection = await ConnectionAsync();
        var cursor = new JsonObject
        {
            ["cursor"] = "2025-03-14T15:09:26.535897Z",
            ["pk"] = new JsonArray(1, 2, 9_007_199_254_740_993),
            ["ratio"] = 0.1,
            ["nested"] = new JsonObject { ["ok"] = true, ["none"] = null, ["text"] = "quote \" and ✓ and \\" },
        };
        var global = new JsonObject { ["lsn"] = "0/16B3748", ["txid"] = 771 };

        await Store.State.SaveAsync(connection.Id, new Checkpoint(Orders, cursor) { RecordCount = 10 });
        await Store.State.SaveAsync(connection.Id, new Checkpoint(OrdersNoNamespace, JsonValue.Create("plain string")));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, global));
        var state = await Store.State.GetAsync(connection.Id);

        Assert.Equal(2, state.Streams.Count);
        Assert.True(JsonNode.DeepEquals(cursor, state.For(Orders)), state.For(Orders)?.ToJsonString());
        Assert.Equal("plain string", state.For(OrdersNoNamespace)!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(global, state.Global), state.Global?.ToJsonString());
    }

    [Fact]
    public async Task Saving_replaces_only_that_streams_state()
    {
        var connection = await ConnectionAsync();
        await Store.State.SaveAsync(connection.Id, new Checkpoint(Orders, JsonValue.Create(1)));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(OrdersArchive, JsonValue.Create(100)));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, JsonValue.Create("g1")));

        await Store.State.SaveAsync(connection.Id, new Checkpoint(Orders, new JsonObject { ["cursor"] = 2 }));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, JsonValue.Create("g2")));

        var state = await Store.State.GetAsync(connection.Id);
        Assert.Equal(2, state.For(Orders)!["cursor"]!.GetValue<int>());
        Assert.Equal(100, state.For(OrdersArchive)!.GetValue<int>());
        Assert.Null(state.For(OrdersNoNamespace));
        Assert.Equal("g2", state.Global!.GetValue<string>());
        Assert.Equal(3, await CountAsync(Store, "SELECT count(*) FROM sync_state"));
    }

    [Fact]
    public async Task State_is_kept_per_connection()
    {
        var first = await ConnectionAsync("first");
        var second = await ConnectionAsync("second");

        await Store.State.SaveAsync(first.Id, new Checkpoint(Orders, JsonValue.Create(1)));
        await Store.State.SaveAsync(second.Id, new Checkpoint(Orders, JsonValue.Create(2)));
        await Store.State.ResetAsync(second.Id, null);

        Assert.Equal(1, (await Store.State.GetAsync(first.Id)).For(Orders)!.GetValue<int>());
        Assert.Empty((await Store.State.GetAsync(second.Id)).Streams);
    }

    [Fact]
    public async Task Reset_forgets_one_stream_or_everything()
    {
        var connection = await ConnectionAsync();
        await Store.State.SaveAsync(connection.Id, new Checkpoint(Orders, JsonValue.Create(1)));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(OrdersNoNamespace, JsonValue.Create(2)));
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, JsonValue.Create(3)));

        await Store.State.ResetAsync(connection.Id, OrdersNoNamespace);
        var afterOne = await Store.State.GetAsync(connection.Id);
        await Store.State.ResetAsync(connection.Id, new StreamDescriptor("never-saved"));
        await Store.State.ResetAsync(connection.Id, null);
        var afterAll = await Store.State.GetAsync(connection.Id);

        Assert.Equal(new[] { Orders }, afterOne.Streams.Keys);
        Assert.Equal(3, afterOne.Global!.GetValue<int>());
        Assert.Empty(afterAll.Streams);
        Assert.Null(afterAll.Global);
    }

    [Fact]
    public async Task State_for_a_missing_connection_is_refused()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Store.State.SaveAsync(Guid.NewGuid(), new Checkpoint(Orders, JsonValue.Create(1))));
    }
}
