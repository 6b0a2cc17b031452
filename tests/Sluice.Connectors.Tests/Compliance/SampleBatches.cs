using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>Ready-made sample tables and a batch builder that every connector test can share.</summary>
public static class SampleBatches
{
    public static RecordBatch Build(IReadOnlyList<ColumnSchema> columns, IEnumerable<object?[]> rows)
    {
        var builder = new RecordBatchBuilder(columns, maxRows: int.MaxValue, maxBytes: long.MaxValue);
        foreach (var row in rows)
        {
            for (var c = 0; c < columns.Count; c++)
                builder.AppendValue(c, row[c]);
            builder.EndRow();
        }
        return builder.Flush();
    }

    /// <summary>Every common logical type, with edge values (2^53+1, 38-digit decimals, pre-epoch instants, CSV
    /// metacharacters, empty text) and a row of NULLs. Row ids start at <paramref name="firstId"/>.</summary>
    public static SampleTable AllTypes(string name = "all_types", long firstId = 1)
    {
        ColumnSchema[] columns =
        [
            new("id", LogicalType.Int64, Nullable: false),
            new("flag", LogicalType.Boolean),
            new("small", LogicalType.Int32),
            new("big", LogicalType.Int64),
            new("ratio", LogicalType.Float64),
            new("price", LogicalType.Decimal(18, 4)),
            new("wide", LogicalType.Decimal(38, 9)),
            new("label", LogicalType.String),
            new("payload", LogicalType.Binary),
            new("day", LogicalType.Date),
            new("clock", LogicalType.Time),
            new("local_ts", LogicalType.Timestamp),
            new("utc_ts", LogicalType.TimestampTz),
            new("uid", LogicalType.Uuid),
            new("doc", LogicalType.Json),
        ];
        object?[][] rows =
        [
            [firstId, true, 42, 9_007_199_254_740_993L, 0.1, "1234.5678", "12345678901234567890123456789.123456789",
                "hello, \"world\"\nline 2 ünïcode ✓", new byte[] { 0, 1, 2, 255 }, new DateOnly(2024, 2, 29),
                new TimeSpan(0, 13, 45, 30, 123, 456), new DateTime(2024, 2, 29, 13, 45, 30, 123, 456, DateTimeKind.Unspecified),
                new DateTimeOffset(2024, 2, 29, 13, 45, 30, 123, 456, TimeSpan.Zero), Guid.Parse("7d444840-9dc0-11d1-b245-5ffdce74fad2"),
                """{"a":1,"b":[true,null,"x"]}"""],
            [firstId + 1, false, -7, -9_007_199_254_740_993L, -0.25, "-0.0001", "-1.5",
                "", System.Array.Empty<byte>(), new DateOnly(1900, 1, 1),
                TimeSpan.Zero, new DateTime(1969, 12, 31, 23, 59, 59, 999, 999, DateTimeKind.Unspecified),
                new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Parse("00000000-0000-0000-0000-000000000001"),
                """[1,2.5,"three"]"""],
            [firstId + 2, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
        ];
        return new SampleTable(name, columns, rows);
    }

    /// <summary>A two-column table (id, name) with <paramref name="count"/> rows from <paramref name="firstId"/>.</summary>
    public static SampleTable Simple(string name, long firstId, int count) =>
        new(name,
            [new ColumnSchema("id", LogicalType.Int64, Nullable: false), new ColumnSchema("name", LogicalType.String)],
            Enumerable.Range(0, count).Select(i => new object?[] { firstId + i, $"name {firstId + i}" }).ToList());

    /// <summary>Awkward identifiers: mixed case, unicode, quotes, spaces and SQL reserved words, in the table and column names.</summary>
    public static SampleTable Identifiers() =>
        new("Mixed \"Case\" Tåble select",
            [
                new ColumnSchema("Id", LogicalType.Int64, Nullable: false),
                new ColumnSchema("select", LogicalType.String),
                new ColumnSchema("Mixed Case", LogicalType.String),
                new ColumnSchema("quo\"ted'", LogicalType.String),
                new ColumnSchema("ünïcødé_列", LogicalType.Int64),
                new ColumnSchema("order", LogicalType.Boolean),
            ],
            [
                [1L, "a", "B", "c\"", 1L, true],
                [2L, "from", "where", "'; drop table x; --", 2L, false],
            ]);

    /// <summary>The fixture every source test puts in its table or file; types a CSV reader can infer.</summary>
    public static SampleTable SourceFixture(string name = "people") =>
        new(name,
            [
                new ColumnSchema("id", LogicalType.Int64, Nullable: false),
                new ColumnSchema("name", LogicalType.String),
                new ColumnSchema("amount", LogicalType.Float64),
                new ColumnSchema("active", LogicalType.Boolean),
                new ColumnSchema("born", LogicalType.Date),
                new ColumnSchema("updated_at", LogicalType.Timestamp),
                new ColumnSchema("note", LogicalType.String),
            ],
            [
                [1L, "Alice", 10.5, true, new DateOnly(1990, 5, 17), new DateTime(2024, 1, 2, 3, 4, 5, 123, 456), "first"],
                [2L, "Bob, \"the builder\"", -3.25, false, new DateOnly(1985, 12, 1), new DateTime(2023, 12, 31, 23, 59, 59), null],
                [3L, "Zoë ✓", 0.0, true, new DateOnly(2000, 2, 29), new DateTime(2024, 2, 29), "line1\nline2"],
                [4L, "Dan", 123456.789, false, null, null, "x"],
                [5L, "Eve", null, null, new DateOnly(1970, 1, 1), new DateTime(1970, 1, 1, 0, 0, 0, 0, 1), null],
            ]);
}
