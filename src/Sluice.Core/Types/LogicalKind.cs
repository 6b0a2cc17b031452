namespace Sluice.Core.Types;

/// <summary>The kinds of Sluice's logical type system; docs/types.md maps each connector's native types onto them.</summary>
public enum LogicalKind
{
    Boolean,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float32,
    Float64,
    /// <summary>Exact decimal with a declared precision (≤ 38) and scale: Arrow decimal128.</summary>
    Decimal,
    /// <summary>Exact decimal without a usable precision (PostgreSQL numeric, precision &gt; 38): carried as canonical text, never as a double.</summary>
    BigDecimal,
    String,
    Binary,
    Date,
    Time,
    /// <summary>Time of day with an offset, carried as ISO text (HH:mm:ss.ffffff+hh:mm).</summary>
    TimeTz,
    Timestamp,
    TimestampTz,
    /// <summary>Carried as ISO 8601 duration text.</summary>
    Interval,
    Uuid,
    Json,
    /// <summary>A list of values of one element type, carried as JSON array text.</summary>
    Array,
}
