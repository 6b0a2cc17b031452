using Apache.Arrow;
using Apache.Arrow.Types;

namespace Sluice.Core.Batches;

/// <summary>Accumulates one column's values for a record batch. Each subclass accepts the values of its Arrow type.</summary>
public abstract class ColumnBuffer
{
    public abstract void AppendNull();
    public abstract IArrowArray Build();
    /// <summary>Bytes held so far, for batch sizing and stats.</summary>
    public abstract long ByteSize { get; }

    public virtual void Append(bool value) => throw Mismatch("a boolean");
    public virtual void Append(long value) => throw Mismatch("an integer");
    public virtual void Append(ulong value) => throw Mismatch("an unsigned integer");
    public virtual void Append(double value) => throw Mismatch("a floating-point number");
    public virtual void Append(decimal value) => throw Mismatch("a decimal");
    public virtual void Append(string value) => throw Mismatch("text");
    public virtual void Append(ReadOnlySpan<byte> value) => throw Mismatch("bytes");
    /// <summary>Decimal text with up to 38 digits, for values a <see cref="decimal"/> cannot hold.</summary>
    public virtual void AppendDecimalText(string value) => throw Mismatch("decimal text");

    protected abstract IArrowType ArrowType { get; }

    private InvalidCastException Mismatch(string what) =>
        new($"a column of Arrow type {ArrowType.Name} cannot take {what}");

    public static ColumnBuffer For(IArrowType type) => type switch
    {
        BooleanType => new BooleanColumnBuffer(),
        Int8Type => new IntegerColumnBuffer<sbyte>(type, v => checked((sbyte)v)),
        Int16Type => new IntegerColumnBuffer<short>(type, v => checked((short)v)),
        Int32Type => new IntegerColumnBuffer<int>(type, v => checked((int)v)),
        Int64Type => new IntegerColumnBuffer<long>(type, v => v),
        UInt8Type => new UnsignedColumnBuffer<byte>(type, v => checked((byte)v)),
        UInt16Type => new UnsignedColumnBuffer<ushort>(type, v => checked((ushort)v)),
        UInt32Type => new UnsignedColumnBuffer<uint>(type, v => checked((uint)v)),
        UInt64Type => new UnsignedColumnBuffer<ulong>(type, v => v),
        FloatType => new FloatColumnBuffer<float>(type, v => (float)v),
        DoubleType => new FloatColumnBuffer<double>(type, v => v),
        Date32Type => new IntegerColumnBuffer<int>(type, v => checked((int)v)),
        Time64Type or TimestampType => new IntegerColumnBuffer<long>(type, v => v),
        Decimal128Type d => new DecimalColumnBuffer(d),
        BinaryType => new BinaryColumnBuffer(),
        StringType => new StringColumnBuffer(),
        _ => throw new NotSupportedException($"Arrow type {type.Name} is not supported in record batches"),
    };
}
