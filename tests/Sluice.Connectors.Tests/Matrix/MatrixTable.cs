using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Matrix;

/// <summary>The representative table every matrix pair carries: one column per common type, an edge row and an all-NULL row.</summary>
public static class MatrixTable
{
    public const string Name = "matrix";

    public static readonly ColumnSchema[] Columns =
    [
        new("id", LogicalType.Int64, Nullable: false),
        new("i32", LogicalType.Int32),
        new("big", LogicalType.Int64),
        new("price", LogicalType.Decimal(18, 4)),
        new("ratio", LogicalType.Float64),
        new("label", LogicalType.String),
        new("payload", LogicalType.Binary),
        new("flag", LogicalType.Boolean),
        new("day", LogicalType.Date),
        new("local_ts", LogicalType.Timestamp),
        new("utc_ts", LogicalType.TimestampTz),
        new("doc", LogicalType.Json),
        new("uid_text", LogicalType.String),
        // Unsigned integers at their maximum, zero and NULL: the widths some destinations lack (docs/types.md, rule 1).
        new("u8", LogicalType.UInt8),
        new("u16", LogicalType.UInt16),
        new("u32", LogicalType.UInt32),
        new("u64", LogicalType.UInt64),
    ];

    public static SampleTable Create(bool withNaN)
    {
        List<object?[]> rows =
        [
            [1L, 42, 9_007_199_254_740_993L, "1234.5678", 0.1, "héllo 🐍 \"q\", x", new byte[] { 0, 1, 255 }, true,
                new DateOnly(2024, 2, 29), new DateTime(2024, 2, 29, 13, 45, 30, 123, 456, DateTimeKind.Unspecified),
                new DateTimeOffset(2024, 2, 29, 13, 45, 30, 123, 456, TimeSpan.Zero), """{"a":1,"b":[true,null]}""", "7d444840-9dc0-11d1-b245-5ffdce74fad2",
                byte.MaxValue, ushort.MaxValue, uint.MaxValue, ulong.MaxValue],
            [2L, -2_147_483_648, long.MinValue, "-0.0001", -1.5e300, "", Array.Empty<byte>(), false,
                new DateOnly(1969, 12, 31), new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
                new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), "[]", "", (byte)0, (ushort)0, 0u, 0ul],
            [3L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
            // Just above long.MaxValue: the first uint64 a signed 64-bit column cannot hold.
            [7L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, (ulong)long.MaxValue + 1],
        ];
        if (withNaN)
        {
            rows.Add([4L, 0, 0L, "0", double.NaN, "nan", null, null, null, null, null, null, null, null, null, null, null]);
            rows.Add([5L, 0, 0L, "0", double.PositiveInfinity, "inf", null, null, null, null, null, null, null, null, null, null, null]);
            rows.Add([6L, 0, 0L, "0", double.NegativeInfinity, "-inf", null, null, null, null, null, null, null, null, null, null, null]);
        }
        return new SampleTable(Name, Columns, rows);
    }
}
