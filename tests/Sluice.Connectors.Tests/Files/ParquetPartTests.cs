using System.Text.Json.Nodes;
using Apache.Arrow;
using Parquet;
using Sluice.Connectors.Files;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Files;

/// <summary>The Parquet writer's own rules: infinity clamping, row groups spanning batches, parts rolling by size.</summary>
public sealed class ParquetPartTests : IDisposable
{
    private static readonly WriteContext Context = new(7, new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero));
    private readonly TempDirectory _root = new("sluice-parquet");
    private readonly FileConnector _connector = new();

    private JsonObject Config(string path) => new() { ["root"] = _root.Path, ["path"] = path, ["format"] = "parquet" };

    private async Task WriteAsync(JsonObject config, SampleTable table, IEnumerable<RecordBatch> batches)
    {
        await foreach (var _ in _connector.WriteAsync(config, table.Catalog(), MessageStreams.Async(MessageStreams.Stream(table.Descriptor, batches)), Context, CancellationToken.None))
        {
        }
    }

    private async Task<List<Dictionary<string, string?>>> ReadAsync(JsonObject config)
    {
        var stream = (await _connector.DiscoverAsync(config, CancellationToken.None)).Streams.Single();
        var rows = new List<Dictionary<string, string?>>();
        await foreach (var message in _connector.ReadAsync(config, ConfiguredCatalog.AllStreams(new SourceCatalog([stream])), SyncState.Empty, CancellationToken.None))
            if (message is RecordBatchMessage batch)
                rows.AddRange(CanonicalRows.Of(batch.Batch));
        return rows;
    }

    [Fact]
    public async Task Infinite_dates_and_timestamps_are_clamped_to_the_extreme_datetimes()
    {
        var table = new SampleTable("inf",
            [
                new ColumnSchema("id", LogicalType.Int64, Nullable: false),
                new ColumnSchema("day", LogicalType.Date),
                new ColumnSchema("utc_ts", LogicalType.TimestampTz),
                new ColumnSchema("local_ts", LogicalType.Timestamp),
            ], []);
        var ids = new Int64Array.Builder().Append(1).Append(2).Append(3).Append(4).Build();
        var schema = ArrowTypes.ToSchema(table.Columns);
        var batch = new RecordBatch(schema,
            [
                ids,
                Raw(schema.GetFieldByIndex(1), [ArrowTypes.PositiveInfinityDays, ArrowTypes.NegativeInfinityDays, 19_782, 0], nullAt: 3),
                Raw(schema.GetFieldByIndex(2), [ArrowTypes.PositiveInfinityMicros, ArrowTypes.NegativeInfinityMicros, 1_709_214_330_123_456L, 0L], nullAt: 3),
                Raw(schema.GetFieldByIndex(3), [ArrowTypes.PositiveInfinityMicros, ArrowTypes.NegativeInfinityMicros, 1_709_214_330_123_456L, 0L], nullAt: 3),
            ], 4);

        await WriteAsync(Config("out"), table, [batch]);
        var rows = (await ReadAsync(Config("out/inf"))).ToDictionary(r => r["id"]!);

        Assert.Equal(("9999-12-31", "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999"), (rows["1"]["day"], rows["1"]["utc_ts"], rows["1"]["local_ts"]));
        Assert.Equal(("0001-01-01", "0001-01-01T00:00:00.000000Z", "0001-01-01T00:00:00.000000"), (rows["2"]["day"], rows["2"]["utc_ts"], rows["2"]["local_ts"]));
        Assert.Equal(("2024-02-29", "2024-02-29T13:45:30.123456Z", "2024-02-29T13:45:30.123456"), (rows["3"]["day"], rows["3"]["utc_ts"], rows["3"]["local_ts"]));
        Assert.Equal((null, null, null), (rows["4"]["day"], rows["4"]["utc_ts"], rows["4"]["local_ts"]));
    }

    /// <summary>An array of the field's type from raw values (the sentinels included), one value null.</summary>
    private static IArrowArray Raw<T>(Field field, T[] values, int nullAt) where T : struct
    {
        var validity = new byte[(values.Length + 7) / 8];
        for (var i = 0; i < values.Length; i++)
            if (i != nullAt)
                validity[i / 8] |= (byte)(1 << (i % 8));
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var data = new ArrayData(field.DataType, values.Length, 1, 0, [new ArrowBuffer(validity), new ArrowBuffer(bytes)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    [Fact]
    public async Task Row_groups_span_batches_and_parts_still_roll_near_max_file_bytes()
    {
        const int total = 60_000, perBatch = 2_000, maxBytes = 200_000;
        var config = Config("out");
        config["max_file_bytes"] = maxBytes;
        var table = SampleBatches.Simple("rolled", 0, total);

        await WriteAsync(config, table, table.ToBatches(perBatch));

        var parts = PartFiles.Parts(_root.Combine("out", "rolled")).ToList();
        Assert.True(parts.Count > 1, $"{parts.Count} parts");
        Assert.Equal(parts.Select((_, i) => $"part-{i:D5}.parquet"), parts.Select(Path.GetFileName));
        long rows = 0;
        foreach (var part in parts)
        {
            Assert.InRange(new FileInfo(part).Length, 1, maxBytes + 100_000);
            await using var stream = File.OpenRead(part);
            await using var reader = await ParquetReader.CreateAsync(stream);
            for (var g = 0; g < reader.RowGroupCount; g++)
                rows += reader.OpenRowGroupReader(g).RowCount;
        }
        Assert.Equal(total, rows);
        Assert.True(parts.Count < total / perBatch, $"{parts.Count} parts for {total / perBatch} batches");
        var read = await ReadAsync(Config("out/rolled"));
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"{i}:name {i}"), read.OrderBy(r => long.Parse(r["id"]!)).Select(r => $"{r["id"]}:{r["name"]}"));
    }

    [Fact]
    public async Task Batches_accumulate_into_one_row_group_below_the_row_group_size()
    {
        var table = SampleBatches.Simple("grouped", 0, 50_000);
        await WriteAsync(Config("out"), table, table.ToBatches(1_000));

        var part = Assert.Single(PartFiles.Parts(_root.Combine("out", "grouped")));
        await using var stream = File.OpenRead(part);
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(1, reader.RowGroupCount);
        Assert.Equal(50_000, reader.OpenRowGroupReader(0).RowCount);
        Assert.Contains("parquet-cpp-arrow", reader.Metadata!.CreatedBy);
        Assert.True(reader.CustomMetadata.ContainsKey("sluice.types"));
    }

    public void Dispose() => _root.Dispose();
}
