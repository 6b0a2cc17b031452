using Apache.Arrow;

namespace Sluice.Core.Batches;

/// <summary>
/// A column's validity bitmap, allocated only when the first null arrives: a column without nulls costs nothing per
/// value. The bitmap starts all ones, so only nulls write to it.
/// </summary>
internal struct ValidityBits
{
    private byte[]? _bits;

    public int NullCount { get; private set; }

    public void SetNull(int index)
    {
        var bytes = (index >> 3) + 1;
        if (_bits is null || _bits.Length < bytes)
        {
            var grown = new byte[Math.Max(bytes * 2, 64)];
            System.Array.Fill(grown, (byte)0xFF);
            _bits?.CopyTo(grown, 0);
            _bits = grown;
        }
        _bits[index >> 3] &= (byte)~(1 << (index & 7));
        NullCount++;
    }

    public readonly ArrowBuffer Build(int length)
    {
        if (NullCount == 0)
            return ArrowBuffer.Empty;
        var bytes = (length + 7) >> 3;
        var bits = new byte[bytes];
        _bits.AsSpan(0, Math.Min(bytes, _bits!.Length)).CopyTo(bits);
        if (_bits.Length < bytes)
            bits.AsSpan(_bits.Length).Fill(0xFF);
        return new ArrowBuffer(bits);
    }
}
