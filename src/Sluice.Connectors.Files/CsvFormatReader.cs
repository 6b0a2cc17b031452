using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>CSV files: names from the header row (or column_1..n), types inferred from the first file's first rows.</summary>
internal sealed class CsvFormatReader(FileConfig config) : IFormatReader
{
    public async Task<IReadOnlyList<ColumnSchema>> InferAsync(FileSet files, CancellationToken cancellationToken)
    {
        using var text = OpenText(files.Files[0]);
        var reader = new CsvRecordReader(text, config.Delimiter);
        var fields = new List<string?>();
        List<string> names = [];
        var inference = new List<TypeInference>();
        var rows = 0;
        if (config.Header && reader.TryRead(fields))
            names = fields.Select((f, i) => string.IsNullOrEmpty(f) ? $"column_{i + 1}" : f).ToList();
        while (rows < config.InferRows && reader.TryRead(fields))
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            while (names.Count < fields.Count)
                names.Add($"column_{names.Count + 1}");
            while (inference.Count < names.Count)
                inference.Add(new TypeInference());
            for (var i = 0; i < fields.Count; i++)
                inference[i].Observe(fields[i]);
        }
        await Task.CompletedTask;
        return names.Select((name, i) => new ColumnSchema(name,
            config.InferTypes && i < inference.Count ? inference[i].Result() : LogicalType.String)).ToList();
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string file, IReadOnlyList<ColumnSchema> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = OpenText(file);
        var reader = new CsvRecordReader(text, config.Delimiter);
        var fields = new List<string?>();
        // Position of each wanted column in this file's records; files of one stream may order columns differently.
        var positions = columns.Select((_, i) => i).ToArray();
        if (config.Header)
        {
            if (!reader.TryRead(fields))
                yield break;
            var header = fields.ToList();
            positions = columns.Select(c => header.IndexOf(c.Name)).ToArray();
        }
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        while (reader.TryRead(fields))
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var position = positions[c];
                var value = position >= 0 && position < fields.Count ? fields[position] : null;
                try
                {
                    builder.AppendValue(c, value);
                }
                catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
                {
                    throw new InvalidDataException($"{file}, line {reader.Line}, column '{columns[c].Name}': '{value}' is not a valid {columns[c].Type} ({e.Message}); set infer_types to false to read every column as text", e);
                }
            }
            builder.EndRow();
            if (builder.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return builder.Flush();
                await Task.Yield();
            }
        }
        if (builder.RowCount > 0)
            yield return builder.Flush();
    }

    private StreamReader OpenText(string file) =>
        new(Compression.OpenRead(file, config.Compression), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
