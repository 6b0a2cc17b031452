using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Sluice.Core.Types;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Writes one Arrow column's values as binary COPY fields. The encoder is picked once per column and batch
/// (<see cref="For"/>), so the per-value work is a null check and a big-endian copy.
/// </summary>
internal abstract class PgColumnEncoder
{
    public abstract void Write(int row, PgCopyBuffer buffer);

    public static PgColumnEncoder For(IArrowArray array, LogicalType type) => (type.Kind, array) switch
    {
        (_, BooleanArray a) => Raw(ArrowColumnBytes.Booleans(a), static (c, r, b) => { b.WriteInt32(1); b.Reserve(1)[0] = c.Boolean(r) ? (byte)1 : (byte)0; }),
        (_, Int8Array a) => Int16(a, static (a, r) => a.Values[r]),
        (_, UInt8Array a) => Int16(a, static (a, r) => a.Values[r]),
        (_, Int16Array a) => Int16(a, static (a, r) => a.Values[r]),
        (_, UInt16Array a) => Int32(a, static (a, r) => a.Values[r]),
        (_, Int32Array a) => Raw(ArrowColumnBytes.Fixed(a, a.ValueBuffer, sizeof(int)), static (c, r, b) => { b.WriteInt32(4); b.WriteInt32(c.Int32(r)); }),
        (_, UInt32Array a) => Int64(a, static (a, r) => a.Values[r]),
        (_, Int64Array a) => Raw(ArrowColumnBytes.Fixed(a, a.ValueBuffer, sizeof(long)), static (c, r, b) => PgBinaryText.WriteInt64Field(b, c.Int64(r))),
        (_, UInt64Array a) => new Encoder<UInt64Array>(a, static (a, r, b) => PgNumeric.Write(a.Values[r], 0, b)),
        (_, FloatArray a) => Int32(a, static (a, r) => BitConverter.SingleToInt32Bits(a.Values[r])),
        (_, DoubleArray a) => Raw(ArrowColumnBytes.Fixed(a, a.ValueBuffer, sizeof(double)), static (c, r, b) => PgBinaryText.WriteInt64Field(b, c.Int64(r))),
        (_, Decimal128Array a) => Decimal(a),
        (_, Date32Array a) => Int32(a, static (a, r) => a.Values[r] is var d && d is int.MaxValue or int.MinValue ? d : d - PostgresReader.EpochShiftDays),
        (_, Date64Array a) => Int32(a, static (a, r) => (int)(a.Values[r] / 86_400_000) - PostgresReader.EpochShiftDays),
        (_, Time64Array a) => Time(a, ((Time64Type)a.Data.DataType).Unit, static (a, r) => a.Values[r]),
        (_, Time32Array a) => Time(a, ((Time32Type)a.Data.DataType).Unit, static (a, r) => a.Values[r]),
        (_, TimestampArray a) => Timestamp(a),
        (_, BinaryArray a) when a is not StringArray => Raw(ArrowColumnBytes.Variable(a), static (c, r, b) => b.WriteField(c.Bytes(r))),
        (LogicalKind.BigDecimal or LogicalKind.Decimal, StringArray a) => Text(a, static (s, b) => PgBinaryText.WriteNumeric(s, b)),
        (LogicalKind.Interval, StringArray a) => Text(a, static (s, b) => PgBinaryText.WriteInterval(s, b)),
        (LogicalKind.TimeTz, StringArray a) => Text(a, static (s, b) => PgBinaryText.WriteTimeTz(s, b)),
        (LogicalKind.Uuid, StringArray a) => Text(a, static (s, b) => PgBinaryText.WriteUuid(s, b)),
        (LogicalKind.Json or LogicalKind.Array, StringArray a) => Raw(ArrowColumnBytes.Variable(a), static (c, r, b) =>
        {
            // jsonb's binary form is a version byte followed by the JSON text.
            var bytes = c.Bytes(r);
            b.WriteInt32(bytes.Length + 1);
            b.Reserve(1)[0] = 1;
            bytes.CopyTo(b.Reserve(bytes.Length));
        }),
        (_, StringArray a) => Raw(ArrowColumnBytes.Variable(a), static (c, r, b) => b.WriteField(c.Bytes(r))),
        _ => throw new NotSupportedException($"cannot write Arrow {array.Data.DataType.Name} as {type} to PostgreSQL"),
    };

    private static Encoder<T> Int16<T>(T a, Func<T, int, int> value) where T : IArrowArray =>
        new(a, (a, r, b) => { b.WriteInt32(2); BinaryPrimitives.WriteInt16BigEndian(b.Reserve(2), (short)value(a, r)); });

    private static Encoder<T> Int32<T>(T a, Func<T, int, int> value) where T : IArrowArray =>
        new(a, (a, r, b) => { b.WriteInt32(4); BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), value(a, r)); });

    private static Encoder<T> Int64<T>(T a, Func<T, int, long> value) where T : IArrowArray =>
        new(a, (a, r, b) => PgBinaryText.WriteInt64Field(b, value(a, r)));

    private static Encoder<T> Time<T>(T a, TimeUnit unit, Func<T, int, long> raw) where T : IArrowArray
    {
        var k = Scale(unit);
        return Int64(a, (a, r) => Scaled(raw(a, r), k));
    }

    /// <summary>decimal128 values are unscaled integers: encoded as numeric directly, with no text in between.</summary>
    private static PgColumnEncoder Decimal(Decimal128Array a)
    {
        var scale = ((Decimal128Type)a.Data.DataType).Scale;
        return Raw(ArrowColumnBytes.Fixed(a, a.ValueBuffer, 16), (c, r, b) => PgNumeric.Write(c.Int128(r), scale, b));
    }

    private static Encoder<StringArray> Text(StringArray a, Action<string, PgCopyBuffer> write) =>
        new(a, (a, r, b) => write(Encoding.UTF8.GetString(a.GetBytes(r)), b));

    /// <summary>Timestamps shift from the Unix epoch to PostgreSQL's 2000-01-01; ±infinity sentinels pass unchanged.</summary>
    private static PgColumnEncoder Timestamp(TimestampArray a)
    {
        var k = Scale(((TimestampType)a.Data.DataType).Unit);
        return Raw(ArrowColumnBytes.Fixed(a, a.ValueBuffer, sizeof(long)), (c, r, b) =>
            PgBinaryText.WriteInt64Field(b, c.Int64(r) is var v && k == 1 && v is long.MaxValue or long.MinValue ? v : Scaled(v, k) - PostgresReader.EpochShiftMicros));
    }

    /// <summary>Multiplier to microseconds; negative means divide (nanoseconds).</summary>
    private static long Scale(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1_000_000,
        TimeUnit.Millisecond => 1_000,
        TimeUnit.Microsecond => 1,
        _ => -1_000,
    };

    private static long Scaled(long value, long k) => k > 0 ? value * k : value / -k;

    private static RawEncoder Raw(ArrowColumnBytes column, Action<ArrowColumnBytes, int, PgCopyBuffer> write) => new(column, write);

    private sealed class RawEncoder(ArrowColumnBytes column, Action<ArrowColumnBytes, int, PgCopyBuffer> write) : PgColumnEncoder
    {
        public override void Write(int row, PgCopyBuffer buffer)
        {
            if (column.IsNull(row))
                buffer.WriteNull();
            else
                write(column, row, buffer);
        }
    }

    private sealed class Encoder<T>(T array, Action<T, int, PgCopyBuffer> write) : PgColumnEncoder where T : IArrowArray
    {
        public override void Write(int row, PgCopyBuffer buffer)
        {
            if (array.IsNull(row))
                buffer.WriteNull();
            else
                write(array, row, buffer);
        }
    }
}
