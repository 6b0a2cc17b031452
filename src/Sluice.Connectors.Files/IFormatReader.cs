using Apache.Arrow;
using Sluice.Core.Catalog;

namespace Sluice.Connectors.Files;

/// <summary>One file format's reading side: the columns of a file set, and one file's rows as record batches.</summary>
internal interface IFormatReader
{
    Task<IReadOnlyList<ColumnSchema>> InferAsync(FileSet files, CancellationToken cancellationToken);

    /// <summary>Rows of <paramref name="file"/> with exactly <paramref name="columns"/> (missing ones NULL), in batches.</summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(string file, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken);

    public static IFormatReader For(FileConfig config) => config.Format switch
    {
        FileFormat.Csv => new CsvFormatReader(config),
        FileFormat.Jsonl => new JsonlFormatReader(config),
        _ => new ParquetFormatReader(config),
    };
}
