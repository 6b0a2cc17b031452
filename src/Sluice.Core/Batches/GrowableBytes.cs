namespace Sluice.Core.Batches;

/// <summary>A byte array that doubles as it fills; what a column buffer's values and offsets live in until built.</summary>
internal struct GrowableBytes
{
    private byte[] _bytes;

    public GrowableBytes(int capacity) => _bytes = new byte[capacity];

    public int Length { get; private set; }

    public Span<byte> Reserve(int count)
    {
        if (Length + count > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        var span = _bytes.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>Gives back the unused end of the last reservation.</summary>
    public void Shrink(int count) => Length -= count;

    public readonly Span<byte> Written => _bytes.AsSpan(0, Length);

    /// <summary>The filled part, handed to Arrow without a copy; the builder starts a new array afterwards.</summary>
    public readonly ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);
}
