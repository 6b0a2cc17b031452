namespace Sluice.Core.Types;

/// <summary>
/// A column's type in Sluice's own vocabulary, independent of any database. Each connector maps its native types
/// onto these and back; <see cref="ArrowTypes"/> gives the Arrow representation records travel in.
/// </summary>
public sealed record LogicalType(LogicalKind Kind, int Precision = 0, int Scale = 0, LogicalType? Element = null)
{
    public static readonly LogicalType Boolean = new(LogicalKind.Boolean);
    public static readonly LogicalType Int8 = new(LogicalKind.Int8);
    public static readonly LogicalType Int16 = new(LogicalKind.Int16);
    public static readonly LogicalType Int32 = new(LogicalKind.Int32);
    public static readonly LogicalType Int64 = new(LogicalKind.Int64);
    public static readonly LogicalType UInt8 = new(LogicalKind.UInt8);
    public static readonly LogicalType UInt16 = new(LogicalKind.UInt16);
    public static readonly LogicalType UInt32 = new(LogicalKind.UInt32);
    public static readonly LogicalType UInt64 = new(LogicalKind.UInt64);
    public static readonly LogicalType Float32 = new(LogicalKind.Float32);
    public static readonly LogicalType Float64 = new(LogicalKind.Float64);
    public static readonly LogicalType BigDecimal = new(LogicalKind.BigDecimal);
    public static readonly LogicalType String = new(LogicalKind.String);
    public static readonly LogicalType Binary = new(LogicalKind.Binary);
    public static readonly LogicalType Date = new(LogicalKind.Date);
    public static readonly LogicalType Time = new(LogicalKind.Time);
    public static readonly LogicalType TimeTz = new(LogicalKind.TimeTz);
    public static readonly LogicalType Timestamp = new(LogicalKind.Timestamp);
    public static readonly LogicalType TimestampTz = new(LogicalKind.TimestampTz);
    public static readonly LogicalType Interval = new(LogicalKind.Interval);
    public static readonly LogicalType Uuid = new(LogicalKind.Uuid);
    public static readonly LogicalType Json = new(LogicalKind.Json);

    public const int MaxDecimalPrecision = 38;

    /// <summary>An exact decimal; precisions beyond decimal128 become <see cref="BigDecimal"/> by rule.</summary>
    public static LogicalType Decimal(int precision, int scale) =>
        precision is > 0 and <= MaxDecimalPrecision && scale >= 0 && scale <= precision
            ? new LogicalType(LogicalKind.Decimal, precision, scale)
            : BigDecimal;

    public static LogicalType ArrayOf(LogicalType element) => new(LogicalKind.Array, Element: element);

    public bool IsInteger => Kind is >= LogicalKind.Int8 and <= LogicalKind.UInt64;

    /// <summary>The stable text form used in catalogs, docs and schema-change records: <c>decimal(12,2)</c>, <c>array&lt;int32&gt;</c>.</summary>
    public override string ToString() => Kind switch
    {
        LogicalKind.Decimal => $"decimal({Precision},{Scale})",
        LogicalKind.Array => $"array<{Element}>",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public static LogicalType Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("decimal(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            var parts = t[8..^1].Split(',');
            return Decimal(int.Parse(parts[0]), parts.Length > 1 ? int.Parse(parts[1]) : 0);
        }
        if (t.StartsWith("array<", StringComparison.Ordinal) && t.EndsWith('>'))
            return ArrayOf(Parse(t[6..^1]));
        foreach (var kind in Enum.GetValues<LogicalKind>())
            if (kind.ToString().Equals(t, StringComparison.OrdinalIgnoreCase))
                return new LogicalType(kind);
        throw new FormatException($"unknown logical type '{text}'");
    }
}
