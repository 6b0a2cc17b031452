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
    /// <summary>A decimal already scaled to the column's scale (12.30 at scale 2 is 1230): no text, no System.Decimal.</summary>
    public virtual void AppendUnscaled(Int128 unscaled) => throw Mismatch("an unscaled decimal");

    protected abstract IArrowType ArrowType { get; }

    /// <summary>
    /// The empty buffer for the next batch once this one is built: this buffer emptied or a new one, sized from the
    /// batches so far so the next batch does not grow by copying. The built array keeps the memory it was built on.
    /// </summary>
    public virtual ColumnBuffer Next() => For(ArrowType);

    private InvalidCastException Mismatch(string what) =>
        new($"a column of Arrow type {ArrowType.Name} cannot take {what}");

    public static ColumnBuffer For(IArrowType type) => type switch
    {
        BooleanType => new BooleanColumnBuffer(),
        Int8Type => new Int8ColumnBuffer(),
        Int16Type => new Int16ColumnBuffer(),
        Int32Type or Date32Type => new Int32ColumnBuffer(type),
        Int64Type or Time64Type or TimestampType => new Int64ColumnBuffer(type),
        UInt8Type => new UInt8ColumnBuffer(),
        UInt16Type => new UInt16ColumnBuffer(),
        UInt32Type => new UInt32ColumnBuffer(),
        UInt64Type => new UInt64ColumnBuffer(),
        FloatType => new FloatColumnBuffer(),
        DoubleType => new DoubleColumnBuffer(),
        Decimal128Type d => new DecimalColumnBuffer(d),
        BinaryType => new BinaryColumnBuffer(),
        StringType => new StringColumnBuffer(),
        _ => throw new NotSupportedException($"Arrow type {type.Name} is not supported in record batches"),
    };
}
