using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// The arrays behind one Arrow column, for reading value after value by plain indexing: Arrow's own accessors
/// (<c>Values</c>, <c>GetBytes</c>, <c>IsNull</c>) rebuild spans and re-check offsets on every call, which was a
/// third of the binary COPY encoder's time. The buffers are used in place when they are array-backed (Sluice's
/// own batches are), and copied once per batch otherwise.
/// </summary>
internal sealed class ArrowColumnBytes
{
    private readonly byte[] _values;
    private readonly int _valuesStart;
    private readonly int _width;
    private readonly byte[]? _offsets;
    private readonly int _offsetsStart;
    private readonly bool[]? _nulls;

    private ArrowColumnBytes(IArrowArray array, ArrowBuffer values, int width, ArrowBuffer? offsets)
    {
        var data = Segment(values);
        _values = data.Array!;
        _width = width;
        // Fixed width: the byte (or, for booleans, the bit) where row 0 starts. Variable width: where the data
        // buffer starts, since its offsets are relative to that.
        _valuesStart = width switch
        {
            0 => data.Offset,
            -1 => data.Offset * 8 + array.Offset,
            _ => data.Offset + array.Offset * width,
        };
        if (offsets is not null)
        {
            var o = Segment(offsets.Value);
            _offsets = o.Array!;
            _offsetsStart = o.Offset + array.Offset * sizeof(int);
        }
        if (array.NullCount > 0)
        {
            _nulls = new bool[array.Length];
            for (var i = 0; i < _nulls.Length; i++)
                _nulls[i] = array.IsNull(i);
        }
    }

    /// <summary>A fixed-width column of <paramref name="width"/>-byte values.</summary>
    public static ArrowColumnBytes Fixed(IArrowArray array, ArrowBuffer values, int width) => new(array, values, width, null);

    public static ArrowColumnBytes Booleans(BooleanArray array) => new(array, array.ValueBuffer, -1, null);

    public static ArrowColumnBytes Variable(BinaryArray array) => new(array, array.ValueBuffer, 0, array.ValueOffsetsBuffer);

    public bool IsNull(int row) => _nulls is not null && _nulls[row];

    public int Int32(int row) => MemoryMarshal.Read<int>(_values.AsSpan(_valuesStart + row * _width, sizeof(int)));

    public long Int64(int row) => MemoryMarshal.Read<long>(_values.AsSpan(_valuesStart + row * _width, sizeof(long)));

    public Int128 Int128(int row) => MemoryMarshal.Read<Int128>(_values.AsSpan(_valuesStart + row * _width, 16));

    public bool Boolean(int row)
    {
        var bit = _valuesStart + row;
        return (_values[bit >> 3] & (1 << (bit & 7))) != 0;
    }

    public ReadOnlySpan<byte> Bytes(int row)
    {
        var offsets = _offsets.AsSpan(_offsetsStart + row * sizeof(int), 2 * sizeof(int));
        var start = MemoryMarshal.Read<int>(offsets);
        var end = MemoryMarshal.Read<int>(offsets[sizeof(int)..]);
        return _values.AsSpan(_valuesStart + start, end - start);
    }

    private static ArraySegment<byte> Segment(ArrowBuffer buffer) =>
        MemoryMarshal.TryGetArray(buffer.Memory, out var segment) && segment.Array is not null
            ? segment
            : new ArraySegment<byte>(buffer.Span.ToArray());
}
