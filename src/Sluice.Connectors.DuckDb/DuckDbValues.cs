using System.Globalization;
using Apache.Arrow;
using DuckDB.NET.Data;
using Sluice.Core.Batches;
using Sluice.Core.Types;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// Turns Arrow values into the exact CLR type the appender writes for the target column (its native writers copy
/// raw bytes, so a long into an INTEGER column would corrupt it). Values the appender cannot carry exactly, such as
/// decimals beyond a .NET decimal's 28 digits or ±infinity dates, are flagged for a SQL insert of their text.
/// </summary>
internal static class DuckDbValues
{
    public static object? Prepare(IArrowArray array, int row, LogicalType target, out bool needsSql)
    {
        needsSql = false;
        var value = ArrowValues.Get(array, row);
        if (value is null)
            return null;
        switch (target.Kind)
        {
            case LogicalKind.Boolean:
                return value is bool b ? b : System.Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
            case LogicalKind.Int8: return System.Convert.ToSByte(value, CultureInfo.InvariantCulture);
            case LogicalKind.Int16: return System.Convert.ToInt16(value, CultureInfo.InvariantCulture);
            case LogicalKind.Int32: return System.Convert.ToInt32(value, CultureInfo.InvariantCulture);
            case LogicalKind.Int64: return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case LogicalKind.UInt8: return System.Convert.ToByte(value, CultureInfo.InvariantCulture);
            case LogicalKind.UInt16: return System.Convert.ToUInt16(value, CultureInfo.InvariantCulture);
            case LogicalKind.UInt32: return System.Convert.ToUInt32(value, CultureInfo.InvariantCulture);
            case LogicalKind.UInt64: return System.Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            case LogicalKind.Float32: return System.Convert.ToSingle(value, CultureInfo.InvariantCulture);
            case LogicalKind.Float64: return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case LogicalKind.Decimal:
                var text = ArrowValues.ToText(array, row)!;
                if (TryExactDecimal(text, out var exact))
                    return exact;
                needsSql = true;
                return text;
            case LogicalKind.Date when value is DateOnly date:
                return date;
            case LogicalKind.Time when value is TimeSpan time:
                return TimeOnly.FromTimeSpan(time);
            case LogicalKind.Timestamp when value is DateTime timestamp:
                return timestamp;
            case LogicalKind.TimestampTz when value is DateTimeOffset instant:
                return instant;
            case LogicalKind.TimestampTz when value is DateTime local:
                return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc));
            case LogicalKind.Uuid:
                return Guid.Parse(ArrowValues.ToText(array, row)!);
            case LogicalKind.Binary when value is byte[] bytes:
                return bytes;
            case LogicalKind.Date or LogicalKind.Time or LogicalKind.Timestamp or LogicalKind.TimestampTz or LogicalKind.Binary:
                // "infinity", or a value of another type: let DuckDB cast its text.
                needsSql = true;
                return ArrowValues.ToText(array, row);
            default:
                return ArrowValues.ToText(array, row);
        }
    }

    public static void Append(IDuckDBAppenderRow row, object? value)
    {
        _ = value switch
        {
            null => row.AppendNullValue(),
            bool v => row.AppendValue((bool?)v),
            sbyte v => row.AppendValue((sbyte?)v),
            short v => row.AppendValue((short?)v),
            int v => row.AppendValue((int?)v),
            long v => row.AppendValue((long?)v),
            byte v => row.AppendValue((byte?)v),
            ushort v => row.AppendValue((ushort?)v),
            uint v => row.AppendValue((uint?)v),
            ulong v => row.AppendValue((ulong?)v),
            float v => row.AppendValue((float?)v),
            double v => row.AppendValue((double?)v),
            decimal v => row.AppendValue((decimal?)v),
            DateOnly v => row.AppendValue((DateOnly?)v),
            TimeOnly v => row.AppendValue((TimeOnly?)v),
            DateTime v => row.AppendValue((DateTime?)v),
            DateTimeOffset v => row.AppendValue((DateTimeOffset?)v),
            Guid v => row.AppendValue((Guid?)v),
            byte[] v => row.AppendValue(v),
            string v => row.AppendValue(v),
            _ => throw new InvalidOperationException($"no DuckDB appender value for {value.GetType().Name}"),
        };
    }

    /// <summary>A .NET decimal equal to the text, or false when the text has more digits than a decimal keeps.</summary>
    private static bool TryExactDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && Canonical(value.ToString(CultureInfo.InvariantCulture)) == Canonical(text);

    private static string Canonical(string text) => text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
}
