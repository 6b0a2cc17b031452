using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using ParquetSharp;
using Sluice.Core.Types;
using ArrowFileWriter = ParquetSharp.Arrow.FileWriter;

namespace Sluice.Connectors.Files;

/// <summary>
/// A Parquet part written by Arrow C++'s Parquet writer (ParquetSharp), fed the Arrow batches as they are: no
/// per-value work in .NET. Batches accumulate in one buffered row group (encoded and compressed as they arrive, so
/// memory holds compressed pages, not batches) until <see cref="RowGroupInputBytes"/> of Arrow data went in.
/// Logical types are Parquet's own (decimal(p,s) exact, timestamps in microseconds with the UTC flag, dates, times);
/// every column's Sluice type is kept in the file's key-value metadata under <c>sluice.types</c>. ±infinity dates
/// and timestamps are clamped (<see cref="ParquetInfinities"/>).
/// </summary>
internal sealed class ParquetPartWriter : IPartWriter
{
    /// <summary>Arrow bytes per row group: big enough that per-row-group costs vanish, small enough that the
    /// compressed pages held until the row group closes stay a few tens of MB.</summary>
    public const long RowGroupInputBytes = 64L << 20;

    private readonly Stream _file;
    private readonly ArrowFileWriter _writer;
    private readonly Schema _written;
    private long _buffered;
    private long _flushedInput;
    private bool _closed;

    private ParquetPartWriter(Stream file, ArrowFileWriter writer, Schema schema, Schema written)
    {
        _file = file;
        _writer = writer;
        Schema = schema;
        _written = written;
    }

    public static Task<ParquetPartWriter> CreateAsync(Stream file, Schema schema, FileCompression compression, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Before any other ParquetSharp call: the first one loads the native library, which starts jemalloc with
        // whatever configuration the environment holds at that moment.
        var pool = ArrowMemory.Pool;
        var types = JsonSerializer.Serialize(schema.FieldsList.ToDictionary(f => f.Name, f => ArrowTypes.LogicalTypeOf(f).ToString()));
        // Every column is written optional, as before ParquetSharp, so a part's schema does not depend on whether
        // the source declared a column NOT NULL; the Sluice types travel in the file's metadata.
        var written = new Schema(schema.FieldsList.Select(f => new Field(f.Name, f.DataType, nullable: true)),
            [new KeyValuePair<string, string>(ParquetTypes.MetadataKey, types)]);
        using var propertiesBuilder = new WriterPropertiesBuilder()
            .Compression(compression switch
            {
                FileCompression.None => ParquetSharp.Compression.Uncompressed,
                FileCompression.Gzip => ParquetSharp.Compression.Gzip,
                FileCompression.Zstd => ParquetSharp.Compression.Zstd,
                _ => ParquetSharp.Compression.Snappy,
            })
            .MaxRowGroupLength(long.MaxValue)
            // Arrow's default pool here is mimalloc, which kept ~250 MB of freed pages resident on a 1M-row sync
            // (writes come from whichever thread-pool thread runs the destination); jemalloc, configured to return
            // freed pages promptly (ArrowMemory), does not.
            .MemoryPool(pool);
        using var properties = propertiesBuilder.Build();
        // Arrow C++ writes the schema's key-value metadata into the file only when it stores the Arrow schema too.
        using var arrowPropertiesBuilder = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder().StoreSchema();
        using var arrowProperties = arrowPropertiesBuilder.Build();
        var writer = new ArrowFileWriter(file, written, properties, arrowProperties, leaveOpen: true);
        return Task.FromResult(new ParquetPartWriter(file, writer, schema, written));
    }

    public Schema Schema { get; }

    /// <summary>Bytes in the file plus the open row group's Arrow bytes scaled by the compression seen so far in
    /// this part (1:1 before the first row group closes), so a part rolls near max_file_bytes, not far below.</summary>
    public long Bytes => _file.Position + (long)(_buffered * (_flushedInput > 0 ? (double)_file.Position / _flushedInput : 1.0));

    public Task<int> WriteAsync(RecordBatch batch, int start, long maxBytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_buffered >= RowGroupInputBytes)
        {
            _writer.NewBufferedRowGroup();
            _flushedInput += _buffered;
            _buffered = 0;
        }
        var slice = start == 0 ? batch : batch.Slice(start, batch.Length - start);
        var arrays = new IArrowArray[slice.ColumnCount];
        for (var c = 0; c < arrays.Length; c++)
        {
            arrays[c] = ParquetInfinities.Clamp(slice.Column(c));
            _buffered += InputBytes(arrays[c]);
        }
        _writer.WriteBufferedRecordBatch(new RecordBatch(_written, arrays, slice.Length));
        return Task.FromResult(batch.Length);
    }

    /// <summary>The bytes an array's values take (not its buffers' capacity, which builders size ahead).</summary>
    private static long InputBytes(IArrowArray array) => array switch
    {
        BinaryArray text => text.ValueOffsets[text.Length] - text.ValueOffsets[0] + 4L * text.Length,
        BooleanArray a => (a.Length + 7) / 8,
        _ when array.Data.DataType is FixedWidthType fixedWidth => (long)array.Length * fixedWidth.BitWidth / 8,
        _ => array.Data.Buffers.Sum(b => (long)b.Length),
    };

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Close();
        await _file.FlushAsync(cancellationToken);
        await _file.DisposeAsync();
    }

    private void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _writer.Close();
        _writer.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Close();
        }
        finally
        {
            await _file.DisposeAsync();
        }
    }
}
