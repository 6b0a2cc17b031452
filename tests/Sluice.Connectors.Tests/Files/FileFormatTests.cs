using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Sluice.Connectors.Files;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Files;

public sealed class FileFormatTests : IDisposable
{
    private static readonly WriteContext Context = new(7, new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero));
    private readonly TempDirectory _root = new("sluice-files");
    private readonly FileConnector _connector = new();

    private JsonObject Config(string path, string format, string? compression = null)
    {
        var config = new JsonObject { ["root"] = _root.Path, ["path"] = path, ["format"] = format };
        if (compression is not null)
            config["compression"] = compression;
        return config;
    }

    private async Task WriteAsync(JsonObject config, SampleTable table, int rowsPerBatch = int.MaxValue)
    {
        await foreach (var _ in _connector.WriteAsync(config, table.Catalog(), MessageStreams.Async(MessageStreams.Stream(table, rowsPerBatch)), Context, CancellationToken.None))
        {
        }
    }

    private async Task<(StreamSchema Stream, List<Dictionary<string, string?>> Rows, List<int> BatchSizes)> ReadAsync(JsonObject config)
    {
        var stream = (await _connector.DiscoverAsync(config, CancellationToken.None)).Streams.Single();
        var rows = new List<Dictionary<string, string?>>();
        var sizes = new List<int>();
        await foreach (var message in _connector.ReadAsync(config, ConfiguredCatalog.AllStreams(new SourceCatalog([stream])), SyncState.Empty, CancellationToken.None))
            if (message is RecordBatchMessage batch)
            {
                sizes.Add(batch.Batch.Length);
                rows.AddRange(CanonicalRows.Of(batch.Batch));
            }
        return (stream, rows, sizes);
    }

    /// <summary>Rows read back equal the table's, each value compared under the table's own column type.</summary>
    private static void AssertSameRows(SampleTable expected, List<Dictionary<string, string?>> actual)
    {
        Assert.Equal(expected.Rows.Count, actual.Count);
        foreach (var row in expected.Rows)
        {
            var got = actual.Single(r => r[expected.KeyColumn] == ValueCanon.Of(LogicalType.Int64, row[0]));
            for (var c = 0; c < expected.Columns.Count; c++)
            {
                var column = expected.Columns[c];
                Assert.Equal(ValueCanon.Of(column.Type, row[c]), ValueCanon.Of(column.Type, got[column.Name]));
            }
        }
    }

    [Theory]
    [InlineData("csv", "gzip", ".csv.gz")]
    [InlineData("csv", "zstd", ".csv.zst")]
    [InlineData("jsonl", "gzip", ".jsonl.gz")]
    [InlineData("jsonl", "zstd", ".jsonl.zst")]
    public async Task Compressed_parts_round_trip_through_the_source(string format, string compression, string extension)
    {
        var table = SampleBatches.AllTypes("compressed");
        await WriteAsync(Config("out", format, compression), table);

        var part = Assert.Single(PartFiles.Parts(_root.Combine("out", "compressed")));
        Assert.EndsWith(extension, part, StringComparison.Ordinal);
        var (_, rows, _) = await ReadAsync(Config($"out/compressed/*{extension}", format));
        AssertSameRows(table, rows);
    }

    [Fact]
    public async Task A_glob_reads_several_files_as_one_stream()
    {
        Directory.CreateDirectory(_root.Combine("data", "2024"));
        await File.WriteAllTextAsync(_root.Combine("data", "a.csv"), "id,name\n1,one\n2,two\n");
        await File.WriteAllTextAsync(_root.Combine("data", "2024", "b.csv"), "name,id\nthree,3\n");
        await using (var gz = new System.IO.Compression.GZipStream(File.Create(_root.Combine("data", "c.csv.gz")), System.IO.Compression.CompressionLevel.Fastest))
            await gz.WriteAsync("id,name\n4,four\n"u8.ToArray());
        await File.WriteAllTextAsync(_root.Combine("data", "ignored.txt"), "not,csv\n");

        var (stream, rows, _) = await ReadAsync(Config("data/**/*.csv*", "csv"));

        Assert.Equal("data", stream.Name);
        // Columns come from the first file in path order (data/2024/b.csv): name, then id.
        Assert.Equal(["name:string", "id:int64"], stream.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(["1:one", "2:two", "3:three", "4:four"], rows.Select(r => $"{r["id"]}:{r["name"]}").Order());
    }

    [Fact]
    public async Task Parts_roll_at_max_file_bytes()
    {
        var config = Config("out", "csv");
        config["max_file_bytes"] = 2000;
        var table = SampleBatches.Simple("rolled", 1, 1000);
        await WriteAsync(config, table, rowsPerBatch: 100);

        var parts = PartFiles.Parts(_root.Combine("out", "rolled")).ToList();
        Assert.True(parts.Count > 10, $"{parts.Count} parts");
        Assert.Equal(parts.Select((_, i) => $"part-{i:D5}.csv"), parts.Select(Path.GetFileName));
        Assert.All(parts, p => Assert.InRange(new FileInfo(p).Length, 1, 2000 + 100));
        var (_, rows, _) = await ReadAsync(Config("out/rolled", "csv"));
        Assert.Equal(1000, rows.Count);
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("a/../../outside.csv")]
    [InlineData("/etc/passwd")]
    [InlineData("../*.csv")]
    public async Task Paths_outside_the_root_are_refused(string path)
    {
        var read = await Assert.ThrowsAsync<ConfigException>(async () => await _connector.DiscoverAsync(Config(path, "csv"), CancellationToken.None));
        Assert.Equal("path", read.Field);
        Assert.Contains("outside the root", read.Message);

        var table = SampleBatches.Simple("t", 1, 1);
        var write = await Assert.ThrowsAsync<ConfigException>(async () => await WriteAsync(Config(path, "csv"), table));
        Assert.Equal("path", write.Field);
    }

    [Fact]
    public async Task A_link_out_of_the_root_is_refused_and_an_absolute_path_inside_is_accepted()
    {
        using var outside = new TempDirectory();
        await File.WriteAllTextAsync(outside.Combine("secret.csv"), "a\n1\n");
        File.CreateSymbolicLink(_root.Combine("link.csv"), outside.Combine("secret.csv"));
        var error = await Assert.ThrowsAsync<ConfigException>(async () => await _connector.DiscoverAsync(Config("link.csv", "csv"), CancellationToken.None));
        Assert.Equal("path", error.Field);

        await File.WriteAllTextAsync(_root.Combine("inside.csv"), "a\n1\n");
        var catalog = await _connector.DiscoverAsync(Config(_root.Combine("inside.csv"), "csv"), CancellationToken.None);
        Assert.Equal("inside", catalog.Streams.Single().Name);
    }

    [Fact]
    public async Task Parquet_keeps_decimals_and_timestamps_exact()
    {
        var table = SampleBatches.AllTypes("exact");
        await WriteAsync(Config("out", "parquet"), table);

        var part = Assert.Single(PartFiles.Parts(_root.Combine("out", "exact")));
        await using (var stream = File.OpenRead(part))
        {
            var schema = await ParquetReader.ReadSchemaAsync(stream);
            var wide = Assert.IsAssignableFrom<DecimalDataField>(schema.FindDataField("wide"));
            Assert.Equal((38, 9), (wide.Precision, wide.Scale));
            var utc = Assert.IsType<DateTimeDataField>(schema.FindDataField("utc_ts"));
            Assert.True(utc.IsAdjustedToUTC);
            Assert.Equal(DateTimeTimeUnit.Micros, utc.Unit);
            Assert.False(Assert.IsType<DateTimeDataField>(schema.FindDataField("local_ts")).IsAdjustedToUTC);
            Assert.Equal(DateTimeFormat.Date, Assert.IsType<DateTimeDataField>(schema.FindDataField("day")).DateTimeFormat);
        }
        var (discovered, rows, _) = await ReadAsync(Config("out/exact", "parquet"));
        foreach (var column in table.Columns)
            Assert.Equal(column.Type, discovered.Column(column.Name)!.Type);
        AssertSameRows(table, rows);
        Assert.Equal("12345678901234567890123456789.123456789", rows.Single(r => r["id"] == "1")["wide"]);
        Assert.Equal("2024-02-29T13:45:30.123456Z", rows.Single(r => r["id"] == "1")["utc_ts"]);
    }

    [Fact]
    public async Task A_million_rows_stream_through_in_bounded_batches()
    {
        const int total = 1_000_000;
        var table = SampleBatches.Simple("big", 0, 0);
        var config = Config("out", "csv");
        await foreach (var _ in _connector.WriteAsync(config, table.Catalog(), Generate(table, total, 8192), Context, CancellationToken.None))
        {
        }

        var read = Config("out/big", "csv");
        read["batch_size"] = 10_000;
        var stream = (await _connector.DiscoverAsync(read, CancellationToken.None)).Streams.Single();
        long rows = 0, idSum = 0;
        var largest = 0;
        await foreach (var message in _connector.ReadAsync(read, ConfiguredCatalog.AllStreams(new SourceCatalog([stream])), SyncState.Empty, CancellationToken.None))
            if (message is RecordBatchMessage batch)
            {
                largest = Math.Max(largest, batch.Batch.Length);
                rows += batch.Batch.Length;
                var ids = (Apache.Arrow.Int64Array)batch.Batch.Column(0);
                for (var i = 0; i < ids.Length; i++)
                    idSum += ids.GetValue(i)!.Value;
            }

        Assert.Equal(total, rows);
        Assert.Equal((long)total * (total - 1) / 2, idSum);
        Assert.InRange(largest, 1, 10_000);
    }

    /// <summary>Batches made on demand, so the test itself never holds the whole table.</summary>
    private static async IAsyncEnumerable<SourceMessage> Generate(SampleTable table, int total, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new StreamStatusMessage(table.Descriptor, StreamStatus.Started);
        for (var start = 0; start < total; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = SampleBatches.Simple(table.Name, start, Math.Min(batchSize, total - start));
            yield return new RecordBatchMessage(table.Descriptor, chunk.ToBatch());
            await Task.Yield();
        }
        yield return new CheckpointMessage(MessageStreams.Checkpoint(table.Descriptor, 1));
        yield return new StreamStatusMessage(table.Descriptor, StreamStatus.Complete);
    }

    public void Dispose() => _root.Dispose();
}
