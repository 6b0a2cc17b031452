using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Sources;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// The MySQL side of a <see cref="KeyRangeRead"/>: the cursor's maximum, each range's last key (found first with an
/// index walk), and the WHERE clause with its values bound as typed parameters, so a BIGINT key is never compared
/// as a double.
/// </summary>
internal sealed class MySqlRanges(MySqlConnection connection, string quotedTable, StreamSchema schema, KeyRangeRead plan)
{
    public static async Task<string?> MaxAsync(MySqlConnection connection, string quotedTable, string column, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"select cast(max({MySqlIdentifiers.Quote(column)}) as char) from {quotedTable}", connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The last key of the range of at most <paramref name="rows"/> rows after <paramref name="after"/>; null when the rest fits.</summary>
    public async Task<string?[]?> NextBoundaryAsync(string?[]? after, int rows, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection };
        var keys = string.Join(", ", plan.Keys.Select(MySqlIdentifiers.Quote));
        command.CommandText = $"select {string.Join(", ", plan.Keys.Select(k => $"cast({MySqlIdentifiers.Quote(k)} as char)"))} from {quotedTable}" +
                              Where(command, after, null) + $" order by {keys} limit 1 offset {rows - 1}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return Enumerable.Range(0, plan.Keys.Count).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray();
    }

    /// <summary>" where ..." for the range (after, upTo], its values added to <paramref name="command"/>; empty when unbounded.</summary>
    public string Where(MySqlCommand command, string?[]? after, string?[]? upTo)
    {
        var where = plan.Where(MySqlIdentifiers.Quote, after, upTo, (column, value) =>
        {
            var name = "@r" + command.Parameters.Count;
            command.Parameters.AddWithValue(name, value);
            return Typed(name, schema.Column(column)?.Type);
        });
        return where.Length == 0 ? "" : " where " + where;
    }

    private static string Typed(string parameter, LogicalType? type) => type?.Kind switch
    {
        LogicalKind.Int8 or LogicalKind.Int16 or LogicalKind.Int32 or LogicalKind.Int64 => $"cast({parameter} as signed)",
        LogicalKind.UInt8 or LogicalKind.UInt16 or LogicalKind.UInt32 or LogicalKind.UInt64 => $"cast({parameter} as unsigned)",
        LogicalKind.Decimal or LogicalKind.BigDecimal => $"cast({parameter} as decimal(65,30))",
        LogicalKind.Timestamp or LogicalKind.TimestampTz => $"cast({parameter} as datetime(6))",
        LogicalKind.Date => $"cast({parameter} as date)",
        _ => parameter,
    };
}
