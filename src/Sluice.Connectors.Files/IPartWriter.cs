using Apache.Arrow;

namespace Sluice.Connectors.Files;

/// <summary>One part file being written in one format. All rows of a part share one schema.</summary>
internal interface IPartWriter : IAsyncDisposable
{
    Schema Schema { get; }

    /// <summary>Bytes the part holds so far, measured where rolling is decided (see each format).</summary>
    long Bytes { get; }

    /// <summary>Writes rows from <paramref name="start"/> until the batch ends or the part reaches <paramref name="maxBytes"/>;
    /// returns the first row not written. Writes at least one row.</summary>
    Task<int> WriteAsync(RecordBatch batch, int start, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Flushes and closes the file; the part is complete and readable afterwards.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    public static async Task<IPartWriter> CreateAsync(FileConfig config, FileCompression compression, Stream file, Schema schema, CancellationToken cancellationToken) =>
        config.Format switch
        {
            FileFormat.Csv => new CsvPartWriter(Compression.Wrap(file, compression), schema, config.Delimiter, config.Header),
            FileFormat.Jsonl => new JsonlPartWriter(Compression.Wrap(file, compression), schema),
            _ => await ParquetPartWriter.CreateAsync(file, schema, compression, cancellationToken),
        };
}
