using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Sample;

/// <summary>
/// Deterministic generated e-commerce data (customers, products, orders), so a first sync works with no database.
/// Supports incremental reads on <c>id</c>: each batch is followed by a checkpoint {"cursor": last id}.
/// </summary>
public sealed class SampleSource : ISource
{
    public string Name => "sample";

    public ConnectorSpec Spec() => new()
    {
        DocumentationUrl = "https://sluice.dev/docs/connectors/sample",
        SupportsIncremental = true,
        ConnectionSpecification = JsonNode.Parse("""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "title": "Sample data",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "customers": { "type": "integer", "title": "Customers", "minimum": 0, "maximum": 1000000000, "default": 1000, "description": "number of customer rows" },
            "products": { "type": "integer", "title": "Products", "minimum": 1, "maximum": 1000000000, "default": 100, "description": "number of product rows" },
            "orders": { "type": "integer", "title": "Orders", "minimum": 0, "maximum": 10000000000, "default": 10000, "description": "number of order rows" },
            "seed": { "type": "integer", "title": "Seed", "default": 42, "description": "same seed, same data" },
            "batch_rows": { "type": "integer", "title": "Rows per batch", "minimum": 1, "maximum": 1000000, "default": 8192 }
          }
        }
        """)!.AsObject(),
    };

    public ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var errors = ConfigValidator.Errors(Spec(), config, Name);
        return ValueTask.FromResult(errors.Count == 0 ? CheckResult.Success : CheckResult.Failed(string.Join("; ", errors.Select(e => e.Message))));
    }

    public ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken)
    {
        ConfigValidator.Validate(Spec(), config, Name);
        var sample = SampleConfig.From(config);
        return ValueTask.FromResult(new SourceCatalog(SampleStreams.All.Select(s => s with { EstimatedRows = SampleStreams.RowCount(s.Name, sample) }).ToList()));
    }

    public async IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ConfigValidator.Validate(Spec(), config, Name);
        var sample = SampleConfig.From(config);
        foreach (var stream in catalog.Streams)
        {
            var schema = SampleStreams.All.FirstOrDefault(s => s.Name == stream.Stream.Name)
                ?? throw new ConfigException("catalog.streams", $"the sample source has no stream '{stream.Stream.Name}'", "use customers, products or orders");
            var columns = stream.ReadColumns();
            var total = SampleStreams.RowCount(schema.Name, sample);
            long first = 1;
            if (stream.SyncMode == SyncMode.Incremental && state.For(stream.Descriptor)?["cursor"] is JsonValue cursor)
                first = JsonNumbers.Int64(cursor)!.Value + 1;
            yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
            yield return new EstimateMessage(stream.Descriptor, Math.Max(0, total - first + 1), null);
            var builder = new RecordBatchBuilder(columns, sample.BatchRows);
            for (var id = first; id <= total; id++)
            {
                for (var c = 0; c < columns.Count; c++)
                    SampleStreams.Append(builder, c, SampleStreams.Value(schema.Name, columns[c].Name, id, sample));
                builder.EndRow();
                if (builder.IsFull)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return new RecordBatchMessage(stream.Descriptor, builder.Flush());
                    yield return new CheckpointMessage(new Checkpoint(stream.Descriptor, new JsonObject { ["cursor"] = id }));
                    await Task.Yield();
                }
            }
            if (builder.RowCount > 0)
                yield return new RecordBatchMessage(stream.Descriptor, builder.Flush());
            yield return new CheckpointMessage(new Checkpoint(stream.Descriptor, new JsonObject { ["cursor"] = Math.Max(total, first - 1) }));
            yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Complete);
        }
    }
}
