using System.Buffers.Binary;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Reads a binary COPY TO STDOUT stream in large chunks and hands out whole rows, so rows are decoded synchronously
/// out of one buffer instead of one awaited driver call per value. A row larger than the buffer grows it.
/// </summary>
/// <param name="buffer">The <see cref="Buffer"/> of the previous COPY of a ranged read, reused: a new megabyte per range
/// is a large-object allocation, and enough of them force full garbage collections.</param>
internal sealed class PgCopyInput(Stream stream, byte[]? buffer = null)
{
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private byte[] _buffer = buffer ?? new byte[1 << 20];
    private int _start;
    private int _end;

    public byte[] Buffer => _buffer;

    /// <summary>The 11-byte signature, the flags and the header extension.</summary>
    public async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(19, cancellationToken);
        if (!_buffer.AsSpan(_start, Signature.Length).SequenceEqual(Signature))
            throw new InvalidDataException("the server's COPY output is not PostgreSQL binary COPY");
        var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 15));
        await EnsureAsync(19 + extension, cancellationToken);
        _start += 19 + extension;
    }

    /// <summary>
    /// The next row's offset in <see cref="Buffer"/> and its byte length, reading more when it is not all there.
    /// Null at the end of the data (the trailer); the fields are checked to number <paramref name="fields"/>.
    /// </summary>
    public async ValueTask<(int Offset, int Length)?> NextRowAsync(int fields, CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = CompleteRowLength(fields);
            if (length == -1)
                return null;
            if (length > 0)
            {
                var offset = _start;
                _start += length;
                return (offset, length);
            }
            if (!await FillAsync(cancellationToken))
                throw new EndOfStreamException("the server's COPY output ended in the middle of a row");
        }
    }

    /// <summary>Reads to the end of the COPY so the connection is ready for the next command.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        while (await stream.ReadAsync(_buffer, cancellationToken) > 0)
        {
        }
    }

    /// <summary>The row's length when all of it is buffered, 0 when more must be read, -1 at the trailer.</summary>
    private int CompleteRowLength(int fields)
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        if (span.Length < 2)
            return 0;
        var count = BinaryPrimitives.ReadInt16BigEndian(span);
        if (count == -1)
            return -1;
        if (count != fields)
            throw new InvalidDataException($"the server sent a row of {count} fields where {fields} were selected");
        var position = 2;
        for (var i = 0; i < count; i++)
        {
            if (span.Length < position + 4)
                return 0;
            var length = BinaryPrimitives.ReadInt32BigEndian(span[position..]);
            position += 4 + Math.Max(length, 0);
        }
        return span.Length >= position ? position : 0;
    }

    private async Task EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
            if (!await FillAsync(cancellationToken))
                throw new EndOfStreamException("the server's COPY output ended early");
    }

    /// <summary>Moves the unread rest to the front (growing the buffer when a row fills it) and reads more.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        else if (_start > 0)
            System.Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
