using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Core.Protocol;

/// <summary>Writes Sluice messages as Airbyte protocol JSON lines (one RECORD per row of a batch).</summary>
public sealed class AirbyteMessageWriter(TextWriter output, TimeProvider? time = null)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Write(JsonObject message) => output.WriteLine(message.ToJsonString(Compact));

    public void Write(SourceMessage message)
    {
        switch (message)
        {
            case RecordBatchMessage records:
                WriteRecords(records.Stream, records.Batch);
                break;
            case CheckpointMessage checkpoint:
                Write(State(checkpoint.Checkpoint));
                break;
            case LogMessage log:
                Write(Log(log.Level, log.Text));
                break;
            case StreamStatusMessage status:
                Write(new JsonObject
                {
                    ["type"] = "TRACE",
                    ["trace"] = new JsonObject
                    {
                        ["type"] = "STREAM_STATUS",
                        ["emitted_at"] = (double)Now,
                        ["stream_status"] = new JsonObject
                        {
                            ["stream_descriptor"] = AirbyteCatalogJson.ToJson(status.Stream),
                            ["status"] = status.Status.ToString().ToUpperInvariant(),
                        },
                    },
                });
                break;
            case EstimateMessage estimate:
                var e = new JsonObject { ["name"] = estimate.Stream.Name, ["type"] = "STREAM" };
                if (estimate.Stream.Namespace is not null) e["namespace"] = estimate.Stream.Namespace;
                if (estimate.Rows is { } rows) e["row_estimate"] = rows;
                if (estimate.Bytes is { } bytes) e["byte_estimate"] = bytes;
                Write(new JsonObject { ["type"] = "TRACE", ["trace"] = new JsonObject { ["type"] = "ESTIMATE", ["emitted_at"] = (double)Now, ["estimate"] = e } });
                break;
        }
    }

    public void WriteRecords(StreamDescriptor stream, RecordBatch batch)
    {
        var emittedAt = Now;
        var types = batch.Schema.FieldsList.Select(ArrowTypes.LogicalTypeOf).ToArray();
        for (var row = 0; row < batch.Length; row++)
        {
            var data = new JsonObject();
            for (var c = 0; c < batch.ColumnCount; c++)
                data[batch.Schema.GetFieldByIndex(c).Name] = ArrowValues.ToJson(batch.Column(c), row, types[c]);
            var record = new JsonObject { ["stream"] = stream.Name, ["data"] = data, ["emitted_at"] = emittedAt };
            if (stream.Namespace is not null)
                record["namespace"] = stream.Namespace;
            Write(new JsonObject { ["type"] = "RECORD", ["record"] = record });
        }
    }

    public static JsonObject State(Checkpoint checkpoint)
    {
        JsonObject state;
        if (checkpoint.Stream is null)
        {
            state = new JsonObject
            {
                ["type"] = "GLOBAL",
                ["global"] = new JsonObject { ["shared_state"] = checkpoint.Data.DeepClone(), ["stream_states"] = new JsonArray() },
            };
        }
        else
        {
            state = new JsonObject
            {
                ["type"] = "STREAM",
                ["stream"] = new JsonObject
                {
                    ["stream_descriptor"] = AirbyteCatalogJson.ToJson(checkpoint.Stream),
                    ["stream_state"] = checkpoint.Data.DeepClone(),
                },
            };
        }
        state["sourceStats"] = new JsonObject { ["recordCount"] = (double)checkpoint.RecordCount };
        return new JsonObject { ["type"] = "STATE", ["state"] = state };
    }

    public JsonObject Log(Messages.LogLevel level, string text) =>
        new() { ["type"] = "LOG", ["log"] = new JsonObject { ["level"] = level.ToString().ToUpperInvariant(), ["message"] = text } };

    public JsonObject Error(string message, string failureType = "system_error") => new()
    {
        ["type"] = "TRACE",
        ["trace"] = new JsonObject
        {
            ["type"] = "ERROR",
            ["emitted_at"] = (double)Now,
            ["error"] = new JsonObject { ["message"] = message, ["failure_type"] = failureType },
        },
    };

    public static JsonObject Spec(ConnectorSpec spec) => new() { ["type"] = "SPEC", ["spec"] = spec.ToJson() };

    public static JsonObject ConnectionStatus(CheckResult result)
    {
        var status = new JsonObject { ["status"] = result.Succeeded ? "SUCCEEDED" : "FAILED" };
        if (result.Message is not null)
            status["message"] = result.Message;
        return new JsonObject { ["type"] = "CONNECTION_STATUS", ["connectionStatus"] = status };
    }

    public static JsonObject Catalog(SourceCatalog catalog) => new() { ["type"] = "CATALOG", ["catalog"] = AirbyteCatalogJson.ToJson(catalog) };
}
