using Apache.Arrow;
using Apache.Arrow.Types;

namespace Sluice.Core.Batches;

internal abstract class FixedWidthColumnBuffer<T>(IArrowType type) : ColumnBuffer
    where T : struct
{
    private readonly ArrowBuffer.Builder<T> _values = new();
    private readonly ArrowBuffer.BitmapBuilder _validity = new();
    private int _nulls;

    protected override IArrowType ArrowType => type;
    public override long ByteSize => (long)_values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    protected void AppendValue(T value)
    {
        _values.Append(value);
        _validity.Append(true);
    }

    public override void AppendNull()
    {
        _values.Append(default(T));
        _validity.Append(false);
        _nulls++;
    }

    public override IArrowArray Build()
    {
        var length = _values.Length;
        var validity = _nulls == 0 ? ArrowBuffer.Empty : _validity.Build();
        var data = new ArrayData(type, length, _nulls, 0, [validity, _values.Build()]);
        return ArrowArrayFactory.BuildArray(data);
    }
}

internal sealed class IntegerColumnBuffer<T>(IArrowType type, Func<long, T> convert) : FixedWidthColumnBuffer<T>(type)
    where T : struct
{
    public override void Append(long value) => AppendValue(convert(value));
    public override void Append(ulong value) => AppendValue(convert(checked((long)value)));
    public override void Append(string value) => AppendValue(convert(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}

internal sealed class UnsignedColumnBuffer<T>(IArrowType type, Func<ulong, T> convert) : FixedWidthColumnBuffer<T>(type)
    where T : struct
{
    public override void Append(long value) => AppendValue(convert(checked((ulong)value)));
    public override void Append(ulong value) => AppendValue(convert(value));
    public override void Append(string value) => AppendValue(convert(ulong.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}

internal sealed class FloatColumnBuffer<T>(IArrowType type, Func<double, T> convert) : FixedWidthColumnBuffer<T>(type)
    where T : struct
{
    public override void Append(double value) => AppendValue(convert(value));
    public override void Append(long value) => AppendValue(convert(value));
    public override void Append(decimal value) => AppendValue(convert((double)value));
    public override void Append(string value) => AppendValue(convert(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}

internal sealed class BooleanColumnBuffer : ColumnBuffer
{
    private readonly BooleanArray.Builder _builder = new();
    protected override IArrowType ArrowType => BooleanType.Default;
    public override long ByteSize => (_builder.Length + 7) / 8;
    public override void Append(bool value) => _builder.Append(value);
    public override void Append(long value) => _builder.Append(value != 0);
    public override void AppendNull() => _builder.AppendNull();
    public override IArrowArray Build() => _builder.Build();
}

internal sealed class DecimalColumnBuffer(Decimal128Type type) : ColumnBuffer
{
    private readonly Decimal128Array.Builder _builder = new(type);
    protected override IArrowType ArrowType => type;
    public override long ByteSize => _builder.Length * 16L;
    public override void Append(decimal value) => _builder.Append(value);
    public override void Append(long value) => _builder.Append(value);
    public override void Append(string value) => _builder.Append(value);
    public override void AppendDecimalText(string value) => _builder.Append(value);
    public override void AppendNull() => _builder.AppendNull();
    public override IArrowArray Build() => _builder.Build();
}

internal sealed class StringColumnBuffer : ColumnBuffer
{
    private readonly StringArray.Builder _builder = new();
    private long _bytes;
    protected override IArrowType ArrowType => StringType.Default;
    public override long ByteSize => _bytes;

    public override void Append(string value)
    {
        _builder.Append(value);
        _bytes += value.Length + 4;
    }

    public override void Append(ReadOnlySpan<byte> utf8)
    {
        _builder.Append(utf8);
        _bytes += utf8.Length + 4;
    }

    public override void Append(long value) => Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public override void Append(decimal value) => Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public override void AppendDecimalText(string value) => Append(value);
    public override void Append(bool value) => Append(value ? "true" : "false");
    public override void AppendNull() => _builder.AppendNull();
    public override IArrowArray Build() => _builder.Build();
}

internal sealed class BinaryColumnBuffer : ColumnBuffer
{
    private readonly BinaryArray.Builder _builder = new();
    private long _bytes;
    protected override IArrowType ArrowType => BinaryType.Default;
    public override long ByteSize => _bytes;

    public override void Append(ReadOnlySpan<byte> value)
    {
        _builder.Append(value);
        _bytes += value.Length + 4;
    }

    public override void AppendNull() => _builder.AppendNull();
    public override IArrowArray Build() => _builder.Build();
}
