using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Matrix;

/// <summary>The documented conversion rules (docs/types.md) as expected canonical values for a pair.</summary>
public static class MatrixRules
{
    /// <summary>Canonical text the destination should hold for a value written to the source.</summary>
    public static string? Expected(string source, string destination, ColumnSchema column, object? value) =>
        ValueCanon.Of(column.Type, value);

    /// <summary>The logical type a column has after a load into <paramref name="connector"/> (docs/types.md).</summary>
    public static LogicalType TypeAfterLoad(string connector, LogicalType type) => (connector, type.Kind) switch
    {
        // SQLite declares every integer INTEGER, which discovers as int64; its INTEGER is signed, so uint64 is exact text.
        ("sqlite", LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32) => LogicalType.Int64,
        ("sqlite" or "postgres", LogicalKind.UInt64) => LogicalType.Decimal(20, 0),
        // PostgreSQL has no unsigned types: each goes to the next wider signed one.
        ("postgres", LogicalKind.UInt8) => LogicalType.Int16,
        ("postgres", LogicalKind.UInt16) => LogicalType.Int32,
        ("postgres", LogicalKind.UInt32) => LogicalType.Int64,
        // MySQL keeps instants as UTC wall clock in DATETIME(6), which discovers as timestamp.
        ("mysql", LogicalKind.TimestampTz) => LogicalType.Timestamp,
        _ => type,
    };

    public static string? Actual(ColumnSchema column, object? value) => ValueCanon.Of(column.Type, value);
}
