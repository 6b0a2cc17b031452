using System.Text.Json.Nodes;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Core.Tests;

public sealed class AirbyteProtocolTests
{
    private static readonly StreamSchema Orders = new()
    {
        Descriptor = new StreamDescriptor("orders", "public"),
        Columns = [new("id", LogicalType.Int64, false), new("amount", LogicalType.Decimal(12, 2)), new("note", LogicalType.String)],
        SupportedSyncModes = [SyncMode.FullRefresh, SyncMode.Incremental],
        PrimaryKey = [["id"]],
        CursorCandidates = ["id"],
    };

    [Fact]
    public void Configured_catalog_round_trips_with_mappings_and_selection()
    {
        var catalog = new ConfiguredCatalog([new ConfiguredStream
        {
            Stream = Orders,
            SyncMode = SyncMode.Incremental,
            DestinationSyncMode = DestinationSyncMode.AppendDedup,
            CursorField = ["id"],
            PrimaryKey = [["id"]],
            SelectedColumns = ["id", "amount"],
            Mappings = [new ColumnMapping("amount", ColumnMappingKind.Rename, "total")],
            DestinationName = "raw_orders",
        }]);
        var json = AirbyteCatalogJson.ToJson(catalog);
        var parsed = AirbyteCatalogJson.ParseConfiguredCatalog(JsonNode.Parse(json.ToJsonString())!);
        Assert.Equal(json.ToJsonString(), AirbyteCatalogJson.ToJson(parsed).ToJsonString());
        Assert.Equal("append_dedup", json["streams"]![0]!["destination_sync_mode"]!.GetValue<string>());
    }

    [Fact]
    public void Records_are_written_one_per_row_and_read_back_into_batches_with_state_order_kept()
    {
        var builder = new RecordBatchBuilder(Orders.Columns);
        builder.AppendValue(0, 1L); builder.AppendValue(1, 12.5m); builder.AppendValue(2, "a"); builder.EndRow();
        builder.AppendValue(0, 2L); builder.AppendValue(1, null); builder.AppendValue(2, "b 🎁"); builder.EndRow();
        var output = new StringWriter();
        var writer = new AirbyteMessageWriter(output);
        writer.Write(new RecordBatchMessage(Orders.Descriptor, builder.Flush()));
        writer.Write(new CheckpointMessage(new Checkpoint(Orders.Descriptor, new JsonObject { ["cursor"] = 2 }) { RecordCount = 2 }));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"id":1,"amount":12.50,"note":"a"}""", JsonNode.Parse(lines[0])!["record"]!["data"]!.ToJsonString());

        var reader = new AirbyteMessageReader(new ConfiguredCatalog([new ConfiguredStream { Stream = Orders }]));
        var messages = reader.ReadAsync(new StringReader(output.ToString())).ToBlockingEnumerable().ToList();
        var batch = Assert.IsType<RecordBatchMessage>(messages[0]);
        Assert.Equal(2, batch.Batch.Length);
        Assert.Equal("12.50", ArrowValues.ToText(batch.Batch.Column(1), 0));
        Assert.Null(ArrowValues.Get(batch.Batch.Column(1), 1));
        var state = Assert.IsType<CheckpointMessage>(messages[1]);
        Assert.Equal(2, state.Checkpoint.Data["cursor"]!.GetValue<int>());
        Assert.Equal(2, state.Checkpoint.RecordCount);
    }

    [Fact]
    public void State_file_in_airbyte_list_form_is_read()
    {
        var json = JsonNode.Parse("""
        [{"type":"STREAM","stream":{"stream_descriptor":{"name":"orders","namespace":"public"},"stream_state":{"cursor":41}}}]
        """)!;
        var state = AirbyteMessageReader.ParseStateFile(json);
        Assert.Equal(41, state.For(Orders.Descriptor)!["cursor"]!.GetValue<int>());
    }

    [Fact]
    public void A_value_that_does_not_fit_its_column_names_line_stream_and_column()
    {
        var reader = new AirbyteMessageReader(new ConfiguredCatalog([new ConfiguredStream { Stream = Orders }]));
        var input = new StringReader("""{"type":"RECORD","record":{"stream":"orders","namespace":"public","data":{"id":"x"},"emitted_at":1}}""");
        var error = Assert.Throws<FormatException>(() => reader.ReadAsync(input).ToBlockingEnumerable().ToList());
        Assert.Contains("line 1", error.Message);
        Assert.Contains("'id'", error.Message);
    }
}
