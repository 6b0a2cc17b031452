using System.Text;
using Apache.Arrow;
using Sluice.Core.Batches;

namespace Sluice.Connectors.Files;

/// <summary>
/// A CSV part: header row, RFC 4180 quoting, ISO dates and times, base64 bytes, NULL as an empty unquoted field.
/// Size counts the bytes before compression, which the writer knows exactly row by row.
/// </summary>
internal sealed class CsvPartWriter : IPartWriter
{
    private readonly Stream _output;
    private readonly char _delimiter;
    private readonly StringBuilder _line = new();
    private byte[] _buffer = new byte[4096];

    public CsvPartWriter(Stream output, Schema schema, char delimiter, bool header)
    {
        _output = output;
        _delimiter = delimiter;
        Schema = schema;
        if (header)
        {
            for (var i = 0; i < schema.FieldsList.Count; i++)
            {
                if (i > 0)
                    _line.Append(delimiter);
                CsvText.AppendField(_line, schema.FieldsList[i].Name, delimiter);
            }
            WriteLine();
        }
    }

    public Schema Schema { get; }
    public long Bytes { get; private set; }

    public Task<int> WriteAsync(RecordBatch batch, int start, long maxBytes, CancellationToken cancellationToken)
    {
        var row = start;
        do
        {
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                if (c > 0)
                    _line.Append(_delimiter);
                CsvText.AppendField(_line, ArrowValues.ToText(batch.Column(c), row), _delimiter);
            }
            WriteLine();
            row++;
        }
        while (row < batch.Length && Bytes < maxBytes);
        return Task.FromResult(row);
    }

    private void WriteLine()
    {
        _line.Append("\r\n");
        var length = Encoding.UTF8.GetMaxByteCount(_line.Length);
        if (_buffer.Length < length)
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        var written = Encoding.UTF8.GetBytes(_line.ToString(), _buffer);
        _output.Write(_buffer, 0, written);
        Bytes += written;
        _line.Clear();
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _output.FlushAsync(cancellationToken);
        await _output.DisposeAsync();
    }

    public ValueTask DisposeAsync() => _output.DisposeAsync();
}
