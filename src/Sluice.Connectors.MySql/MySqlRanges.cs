using System.Data.Common;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Sources;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// The MySQL side of a <see cref="KeyRangeRead"/> run by <see cref="DbKeyRanges"/>: keys and maxima come back as
/// text (<see cref="AsText"/>), and range bounds are bound as typed parameters, so a BIGINT key is never compared as a double.
/// </summary>
internal static class MySqlRanges
{
    public static string AsText(string expression) => $"cast({expression} as char)";

    /// <summary>Binds a range bound compared with a column of <paramref name="schema"/>, cast to the column's type.</summary>
    public static Func<DbCommand, string, string?, string> Binder(StreamSchema schema) => (command, column, value) =>
    {
        var name = "@r" + command.Parameters.Count;
        ((MySqlCommand)command).Parameters.AddWithValue(name, value);
        return Typed(name, schema.Column(column)?.Type);
    };

    private static string Typed(string parameter, LogicalType? type) => type?.Kind switch
    {
        LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.Int64 => $"cast({parameter} as signed)",
        LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64 => $"cast({parameter} as unsigned)",
        LogicalKind.Decimal or LogicalKind.BigDecimal => $"cast({parameter} as decimal(65,30))",
        LogicalKind.Timestamp or LogicalKind.TimestampTz => $"cast({parameter} as datetime(6))",
        LogicalKind.Date => $"cast({parameter} as date)",
        LogicalKind.Time => $"cast({parameter} as time(6))",
        _ => parameter,
    };
}
