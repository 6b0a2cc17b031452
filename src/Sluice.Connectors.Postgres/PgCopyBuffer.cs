using System.Buffers.Binary;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Accumulates PostgreSQL binary COPY data (big-endian, length-prefixed fields) and flushes it to a raw COPY stream
/// in large writes. One row is encoded synchronously; the caller flushes between rows. A flush hands the full
/// buffer to the stream and goes on filling a second one, so encoding the next rows overlaps sending these; at most
/// one write is in flight, and <see cref="DrainAsync"/> waits for it before the COPY may end.
/// </summary>
internal sealed class PgCopyBuffer
{
    public const int FlushThreshold = 1 << 20;

    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private byte[] _buffer = new byte[FlushThreshold + (64 << 10)];
    private byte[] _spare = new byte[FlushThreshold + (64 << 10)];
    private int _length;
    private Task _pending = Task.CompletedTask;

    public int Length => _length;
    public bool ShouldFlush => _length >= FlushThreshold;

    public Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public void WriteNull() => WriteInt32(-1);

    public void WriteField(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    public void WriteHeader()
    {
        // 11-byte signature, flags, header extension length.
        Signature.CopyTo(Reserve(Signature.Length));
        WriteInt32(0);
        WriteInt32(0);
    }

    public void WriteTrailer() => WriteInt16(-1);

    public async ValueTask FlushAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (_length == 0)
            return;
        await _pending; // the spare buffer is free only once the previous write is done
        var full = _buffer.AsMemory(0, _length);
        (_buffer, _spare) = (_spare, _buffer);
        _length = 0;
        _pending = stream.WriteAsync(full, cancellationToken).AsTask();
    }

    /// <summary>Waits for the write in flight: required before the COPY stream is ended, cancelled or used otherwise.</summary>
    public Task DrainAsync()
    {
        var pending = _pending;
        _pending = Task.CompletedTask;
        return pending;
    }
}
