using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>
/// A JSON lines part: one object per row, numbers as JSON numbers (exact decimals too), json columns embedded,
/// NULLs as null. Size counts the bytes before compression.
/// </summary>
internal sealed class JsonlPartWriter(Stream output, Schema schema) : IPartWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly LogicalType[] _types = schema.FieldsList.Select(ArrowTypes.LogicalTypeOf).ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public Schema Schema => schema;
    public long Bytes { get; private set; }

    public Task<int> WriteAsync(RecordBatch batch, int start, long maxBytes, CancellationToken cancellationToken)
    {
        var row = start;
        do
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer, Options))
            {
                json.WriteStartObject();
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    json.WritePropertyName(schema.FieldsList[c].Name);
                    var value = ArrowValues.ToJson(batch.Column(c), row, _types[c]);
                    if (value is null)
                        json.WriteNullValue();
                    else
                        value.WriteTo(json);
                }
                json.WriteEndObject();
            }
            _buffer.Write("\n"u8);
            output.Write(_buffer.WrittenSpan);
            Bytes += _buffer.WrittenCount;
            row++;
        }
        while (row < batch.Length && Bytes < maxBytes);
        return Task.FromResult(row);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await output.FlushAsync(cancellationToken);
        await output.DisposeAsync();
    }

    public ValueTask DisposeAsync() => output.DisposeAsync();
}
