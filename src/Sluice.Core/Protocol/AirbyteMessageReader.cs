using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Core.Protocol;

/// <summary>
/// Reads Airbyte protocol JSON lines into Sluice messages. RECORDs are gathered into Arrow batches per stream, typed
/// by the configured catalog; pending records are flushed before each STATE so a checkpoint still follows its rows.
/// </summary>
public sealed class AirbyteMessageReader(ConfiguredCatalog catalog, int batchRows = 4096)
{
    private readonly Dictionary<StreamDescriptor, (RecordBatchBuilder Builder, Dictionary<string, int> Columns)> _builders = [];

    /// <summary>Lines that are not protocol messages (a connector's stray output) are reported as logs, not errors.</summary>
    public async IAsyncEnumerable<SourceMessage> ReadAsync(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                message = null;
            }
            if (message is null)
            {
                yield return new LogMessage(Messages.LogLevel.Info, line);
                continue;
            }
            foreach (var parsed in Parse(message, lineNumber))
                yield return parsed;
        }
        foreach (var pending in FlushAll())
            yield return pending;
    }

    public IEnumerable<SourceMessage> Parse(JsonObject message, int lineNumber = 0)
    {
        var type = message["type"]?.GetValue<string>();
        switch (type)
        {
            case "RECORD":
                var batch = AddRecord(message["record"] as JsonObject ?? throw new FormatException($"line {lineNumber}: RECORD without 'record'"), lineNumber);
                if (batch is not null)
                    yield return batch;
                break;
            case "STATE":
                foreach (var pending in FlushAll())
                    yield return pending;
                foreach (var checkpoint in ParseState(message["state"]!))
                    yield return new CheckpointMessage(checkpoint);
                break;
            case "LOG":
                var level = Enum.TryParse<Messages.LogLevel>(message["log"]?["level"]?.GetValue<string>(), true, out var l) ? l : Messages.LogLevel.Info;
                yield return new LogMessage(level, message["log"]?["message"]?.GetValue<string>() ?? "");
                break;
            case "TRACE":
                var trace = message["trace"];
                var traceType = trace?["type"]?.GetValue<string>();
                if (traceType == "STREAM_STATUS" && trace?["stream_status"] is { } status)
                {
                    var descriptor = AirbyteCatalogJson.Descriptor(status["stream_descriptor"]);
                    var value = Enum.Parse<StreamStatus>(status["status"]!.GetValue<string>(), true);
                    if (value is StreamStatus.Complete or StreamStatus.Incomplete)
                        foreach (var pending in Flush(descriptor))
                            yield return pending;
                    yield return new StreamStatusMessage(descriptor, value);
                }
                else if (traceType == "ERROR")
                {
                    throw new ExternalConnectorException(trace?["error"]?["message"]?.GetValue<string>() ?? "the connector reported an error");
                }
                break;
        }
    }

    public static IEnumerable<Checkpoint> ParseState(JsonNode state)
    {
        var type = state["type"]?.GetValue<string>() ?? "LEGACY";
        var count = (long)(state["sourceStats"]?["recordCount"]?.GetValue<double>() ?? 0);
        switch (type)
        {
            case "STREAM":
                yield return new Checkpoint(AirbyteCatalogJson.Descriptor(state["stream"]!["stream_descriptor"]), state["stream"]!["stream_state"]?.DeepClone() ?? new JsonObject()) { RecordCount = count };
                break;
            case "GLOBAL":
                yield return new Checkpoint(null, state["global"]!["shared_state"]?.DeepClone() ?? new JsonObject()) { RecordCount = count };
                foreach (var s in state["global"]!["stream_states"] as JsonArray ?? [])
                    yield return new Checkpoint(AirbyteCatalogJson.Descriptor(s!["stream_descriptor"]), s["stream_state"]?.DeepClone() ?? new JsonObject());
                break;
            default:
                yield return new Checkpoint(null, state["data"]?.DeepClone() ?? new JsonObject()) { RecordCount = count };
                break;
        }
    }

    /// <summary>Reads a state file as Airbyte writes it: a list of state messages, one state message, or a STATE envelope.</summary>
    public static SyncState ParseStateFile(JsonNode json)
    {
        var state = SyncState.Empty;
        var items = json is JsonArray array ? array.Select(n => n!) : [json];
        foreach (var item in items)
        {
            var body = item["type"]?.GetValue<string>() == "STATE" ? item["state"]! : item;
            foreach (var checkpoint in ParseState(body))
                state = state.With(checkpoint);
        }
        return state;
    }

    private RecordBatchMessage? AddRecord(JsonObject record, int lineNumber)
    {
        var descriptor = new StreamDescriptor(record["stream"]?.GetValue<string>() ?? throw new FormatException($"line {lineNumber}: RECORD without 'stream'"), record["namespace"]?.GetValue<string>());
        if (!_builders.TryGetValue(descriptor, out var entry))
        {
            var configured = catalog.Find(descriptor) ?? catalog.Streams.FirstOrDefault(s => s.Stream.Name == descriptor.Name)
                ?? throw new FormatException($"line {lineNumber}: RECORD for stream '{descriptor}', which the configured catalog does not select");
            var columns = configured.ReadColumns();
            entry = (new RecordBatchBuilder(columns, batchRows), columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i));
            _builders[descriptor] = entry;
        }
        var data = record["data"] as JsonObject ?? throw new FormatException($"line {lineNumber}: RECORD without 'data'");
        var builder = entry.Builder;
        var seen = new bool[builder.ColumnCount];
        foreach (var (name, value) in data)
        {
            if (!entry.Columns.TryGetValue(name, out var index))
                continue;
            try
            {
                builder.AppendValue(index, value);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or OverflowException)
            {
                throw new FormatException($"line {lineNumber}: stream '{descriptor}', column '{name}': cannot read {value?.ToJsonString()} as {builder.Schema.GetFieldByIndex(index).DataType.Name} ({e.Message})", e);
            }
            seen[index] = true;
        }
        for (var i = 0; i < seen.Length; i++)
            if (!seen[i])
                builder[i].AppendNull();
        builder.EndRow();
        return builder.RowCount >= batchRows ? new RecordBatchMessage(descriptor, builder.Flush()) : null;
    }

    private IEnumerable<SourceMessage> Flush(StreamDescriptor descriptor)
    {
        if (_builders.TryGetValue(descriptor, out var entry) && entry.Builder.RowCount > 0)
            yield return new RecordBatchMessage(descriptor, entry.Builder.Flush());
    }

    private IEnumerable<SourceMessage> FlushAll() => _builders.Keys.ToList().SelectMany(Flush);
}

/// <summary>An external connector reported an error (an Airbyte ERROR trace).</summary>
public sealed class ExternalConnectorException(string message) : Exception(message);
