using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Sluice.Core.Batches;

/// <summary>
/// Fixed-width values written straight into a byte array that becomes the Arrow values buffer; the validity bitmap
/// exists only once a null arrives. The typed subclasses convert without delegates, so an append is a bounds check,
/// a range check and a store.
/// </summary>
internal abstract class FixedWidthColumnBuffer<T>(IArrowType type) : ColumnBuffer
    where T : unmanaged
{
    private const int InitialValues = 1024;

    private GrowableBytes _values = new(InitialValues * Unsafe.SizeOf<T>());
    private ValidityBits _validity;
    private int _length;

    protected override IArrowType ArrowType => type;
    public override long ByteSize => _values.Length;

    private int _previousLength;

    /// <summary>
    /// Starts the next batch in this buffer (the built array keeps the old values array) with room for as many
    /// values as the larger of the last two batches: batches are mostly the same size or alternate (a full batch,
    /// then the rest of a key range), and growing from 1,024 values by doubling allocated each column's final size
    /// again in discarded arrays, every batch, on the large-object heap.
    /// </summary>
    public override ColumnBuffer Next()
    {
        var values = Math.Max(Math.Max(_length, _previousLength), InitialValues);
        _previousLength = _length;
        _values = new GrowableBytes(values * Unsafe.SizeOf<T>());
        _validity = default;
        _length = 0;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void AppendValue(T value)
    {
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(_values.Reserve(Unsafe.SizeOf<T>())), value);
        _length++;
    }

    public override void AppendNull()
    {
        _validity.SetNull(_length);
        AppendValue(default);
    }

    public override IArrowArray Build()
    {
        var data = new ArrayData(type, _length, _validity.NullCount, 0, [_validity.Build(_length), new ArrowBuffer(_values.Memory)]);
        return ArrowArrayFactory.BuildArray(data);
    }
}

/// <summary>Signed integers, dates (days) and times and timestamps (microseconds); a value out of range fails loudly.</summary>
internal sealed class Int8ColumnBuffer() : FixedWidthColumnBuffer<sbyte>(Int8Type.Default)
{
    public override void Append(long value) => AppendValue(checked((sbyte)value));
    public override void Append(ulong value) => AppendValue(checked((sbyte)value));
    public override void Append(string value) => Append(long.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class Int16ColumnBuffer() : FixedWidthColumnBuffer<short>(Int16Type.Default)
{
    public override void Append(long value) => AppendValue(checked((short)value));
    public override void Append(ulong value) => AppendValue(checked((short)value));
    public override void Append(string value) => Append(long.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class Int32ColumnBuffer(IArrowType type) : FixedWidthColumnBuffer<int>(type)
{
    public override void Append(long value) => AppendValue(checked((int)value));
    public override void Append(ulong value) => AppendValue(checked((int)value));
    public override void Append(string value) => Append(long.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class Int64ColumnBuffer(IArrowType type) : FixedWidthColumnBuffer<long>(type)
{
    public override void Append(long value) => AppendValue(value);
    public override void Append(ulong value) => AppendValue(checked((long)value));
    public override void Append(string value) => Append(long.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class UInt8ColumnBuffer() : FixedWidthColumnBuffer<byte>(UInt8Type.Default)
{
    public override void Append(long value) => AppendValue(checked((byte)value));
    public override void Append(ulong value) => AppendValue(checked((byte)value));
    public override void Append(string value) => Append(ulong.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class UInt16ColumnBuffer() : FixedWidthColumnBuffer<ushort>(UInt16Type.Default)
{
    public override void Append(long value) => AppendValue(checked((ushort)value));
    public override void Append(ulong value) => AppendValue(checked((ushort)value));
    public override void Append(string value) => Append(ulong.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class UInt32ColumnBuffer() : FixedWidthColumnBuffer<uint>(UInt32Type.Default)
{
    public override void Append(long value) => AppendValue(checked((uint)value));
    public override void Append(ulong value) => AppendValue(checked((uint)value));
    public override void Append(string value) => Append(ulong.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class UInt64ColumnBuffer() : FixedWidthColumnBuffer<ulong>(UInt64Type.Default)
{
    public override void Append(long value) => AppendValue(checked((ulong)value));
    public override void Append(ulong value) => AppendValue(value);
    public override void Append(string value) => Append(ulong.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class FloatColumnBuffer() : FixedWidthColumnBuffer<float>(FloatType.Default)
{
    public override void Append(double value) => AppendValue((float)value);
    public override void Append(long value) => AppendValue(value);
    public override void Append(decimal value) => AppendValue((float)value);
    public override void Append(string value) => AppendValue(float.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class DoubleColumnBuffer() : FixedWidthColumnBuffer<double>(DoubleType.Default)
{
    public override void Append(double value) => AppendValue(value);
    public override void Append(long value) => AppendValue(value);
    public override void Append(decimal value) => AppendValue((double)value);
    public override void Append(string value) => AppendValue(double.Parse(value, CultureInfo.InvariantCulture));
}

internal sealed class BooleanColumnBuffer : ColumnBuffer
{
    private GrowableBytes _bits = new(128);
    private ValidityBits _validity;
    private int _length;

    protected override IArrowType ArrowType => BooleanType.Default;
    public override long ByteSize => _bits.Length;

    public override void Append(bool value)
    {
        if ((_length & 7) == 0)
            _bits.Reserve(1)[0] = 0;
        if (value)
            _bits.Written[_length >> 3] |= (byte)(1 << (_length & 7));
        _length++;
    }

    public override void Append(long value) => Append(value != 0);

    public override void AppendNull()
    {
        _validity.SetNull(_length);
        Append(false);
    }

    public override IArrowArray Build() =>
        ArrowArrayFactory.BuildArray(new ArrayData(BooleanType.Default, _length, _validity.NullCount, 0,
            [_validity.Build(_length), new ArrowBuffer(_bits.Memory)]));
}

/// <summary>UTF-8 text or bytes: values appended back to back with an offsets buffer, as Arrow lays them out.</summary>
internal abstract class VariableWidthColumnBuffer(IArrowType type) : ColumnBuffer
{
    private GrowableBytes _data = new(16 * 1024);
    private GrowableBytes _offsets = new((1024 + 1) * sizeof(int));
    private ValidityBits _validity;
    private int _length;
    private bool _started;
    private (int Data, int Rows) _previous;

    protected override IArrowType ArrowType => type;
    public override long ByteSize => _data.Length + _offsets.Length;

    /// <summary>
    /// Starts the next batch in this buffer, sized like the larger of the last two batches (an eighth more for the
    /// bytes, whose length per row varies), so the next batch does not grow by copying.
    /// </summary>
    public override ColumnBuffer Next()
    {
        var data = Math.Max(_data.Length, _previous.Data);
        var rows = Math.Max(_length, _previous.Rows);
        _previous = (_data.Length, _length);
        _data = new GrowableBytes(Math.Max(data + data / 8, 1024));
        _offsets = new GrowableBytes((Math.Max(rows, 64) + 1) * sizeof(int));
        _validity = default;
        _length = 0;
        _started = false;
        return this;
    }

    protected void AppendBytes(ReadOnlySpan<byte> value)
    {
        Start();
        value.CopyTo(_data.Reserve(value.Length));
        EndValue();
    }

    /// <summary>Room for up to <paramref name="maxBytes"/> bytes of the next value; <see cref="Commit"/> says how many were used.</summary>
    protected Span<byte> ReserveValue(int maxBytes)
    {
        Start();
        return _data.Reserve(maxBytes);
    }

    protected void Commit(int maxBytes, int used)
    {
        _data.Shrink(maxBytes - used);
        EndValue();
    }

    private void Start()
    {
        if (_started)
            return;
        _started = true;
        MemoryMarshal.Write(_offsets.Reserve(sizeof(int)), 0);
    }

    private void EndValue()
    {
        MemoryMarshal.Write(_offsets.Reserve(sizeof(int)), _data.Length);
        _length++;
    }

    public override void AppendNull()
    {
        Start();
        _validity.SetNull(_length);
        EndValue();
    }

    public override IArrowArray Build()
    {
        Start();
        return ArrowArrayFactory.BuildArray(new ArrayData(type, _length, _validity.NullCount, 0,
            [_validity.Build(_length), new ArrowBuffer(_offsets.Memory), new ArrowBuffer(_data.Memory)]));
    }
}

internal sealed class StringColumnBuffer() : VariableWidthColumnBuffer(StringType.Default)
{
    public override void Append(string value)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        var used = System.Text.Encoding.UTF8.GetBytes(value, ReserveValue(max));
        Commit(max, used);
    }

    public override void Append(ReadOnlySpan<byte> utf8) => AppendBytes(utf8);
    public override void Append(long value) => Append(value.ToString(CultureInfo.InvariantCulture));
    public override void Append(decimal value) => Append(value.ToString(CultureInfo.InvariantCulture));
    public override void AppendDecimalText(string value) => Append(value);
    public override void Append(bool value) => Append(value ? "true" : "false");
}

internal sealed class BinaryColumnBuffer() : VariableWidthColumnBuffer(BinaryType.Default)
{
    public override void Append(ReadOnlySpan<byte> value) => AppendBytes(value);
}
