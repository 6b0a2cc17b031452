using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Sources;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// Reads one table into record batches of the selected columns, in key ranges (<see cref="KeyRangeRead"/>): each
/// range is followed by a checkpoint, so a failed sync resumes after the last committed range; incremental reads take
/// cursor &gt;= the saved value, so rows sharing the boundary value are read again rather than lost.
/// </summary>
internal static class SqliteStreamReader
{
    public static async IAsyncEnumerable<SourceMessage> ReadAsync(SqliteConnection connection, SqliteConfig config,
        ConfiguredStream stream, JsonNode? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await SqliteCatalogReader.DescribeAsync(connection, stream.Stream.Name, cancellationToken)
            ?? throw new ConfigException("catalog", $"table '{stream.Stream.Name}' does not exist in {config.Path}", "run discover again and update the connection's streams");
        var columns = stream.ReadColumns();
        var missing = columns.Where(c => table.Column(c.Name) is null).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new ConfigException("catalog", $"table '{stream.Stream.Name}' has no column(s) {string.Join(", ", missing)}", "run discover again");
        var quoted = SqliteTypes.Quote(stream.Stream.Name);
        if (stream.SyncMode == SyncMode.Incremental && table.Column(KeyRangeRead.CursorOf(stream)) is null)
            throw new ConfigException($"streams.{stream.Stream.Name}.cursor_field", $"names '{KeyRangeRead.CursorOf(stream)}', which the table does not have",
                $"use one of: {string.Join(", ", table.Columns.Where(c => KeyRangeRead.CanOrder(c.Type)).Select(c => c.Name))}");
        var plan = await KeyRangeRead.PlanAsync(stream, state, cursor => DbKeyRanges.MaxAsync(connection, quoted, SqliteTypes.Quote(cursor), AsIs, cancellationToken));
        var ranges = new DbKeyRanges(connection, quoted, plan, SqliteTypes.Quote, AsIs, Bind);
        var select = string.Join(", ", columns.Select(c => SqliteTypes.Quote(c.Name)));

        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        await foreach (var message in ranges.ReadAsync(select, stream.Descriptor, builder, config.CheckpointRows, config.CheckpointSeconds, reader =>
                       {
                           for (var i = 0; i < columns.Count; i++)
                               Append(builder, i, columns[i], (SqliteDataReader)reader, stream.Stream.Name);
                       }, cancellationToken))
            yield return message;
        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Complete);
    }

    /// <summary>SQLite hands values back as they are stored; the text of each is formatted invariantly by the caller.</summary>
    private static string AsIs(string expression) => expression;

    /// <summary>
    /// A text parameter: compared with an INTEGER, REAL or NUMERIC column SQLite applies the column's affinity to it,
    /// so '20' compares as the number 20; with a TEXT column it compares as text, as stored.
    /// </summary>
    private static string Bind(System.Data.Common.DbCommand command, string column, string? value)
    {
        var name = "$r" + command.Parameters.Count;
        command.Parameters.Add(new SqliteParameter(name, (object?)value ?? DBNull.Value));
        return name;
    }

    private static void Append(RecordBatchBuilder builder, int index, ColumnSchema column, SqliteDataReader reader, string table)
    {
        var value = reader.GetValue(index);
        try
        {
            builder.AppendValue(index, Convert(column.Type, value));
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidDataException($"table '{table}', column '{column.Name}' ({column.NativeType}): value '{value}' is not a valid {column.Type}: {e.Message}", e);
        }
    }

    /// <summary>SQLite stores any storage class in any column; bring each value to what its logical type expects.</summary>
    private static object? Convert(LogicalType type, object value) => (type.Kind, value) switch
    {
        (_, DBNull) => null,
        (LogicalKind.Decimal, double d) => decimal.Round((decimal)d, type.Scale).ToString(CultureInfo.InvariantCulture),
        (LogicalKind.BigDecimal, double d) => ((decimal)d).ToString(CultureInfo.InvariantCulture),
        (LogicalKind.String or LogicalKind.Uuid or LogicalKind.Json or LogicalKind.Interval or LogicalKind.TimeTz, byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes),
        (LogicalKind.Binary, string text) => System.Text.Encoding.UTF8.GetBytes(text),
        // An INTEGER-affinity column turned a value above long.MaxValue into a REAL: its exact value is gone.
        (LogicalKind.UInt64, double d) => throw new OverflowException($"{d.ToString("R", CultureInfo.InvariantCulture)} was stored as a REAL, which does not hold a 64-bit unsigned integer exactly; store such values in a DECIMAL_TEXT(20,0) column"),
        (LogicalKind.String, _) => System.Convert.ToString(value, CultureInfo.InvariantCulture),
        // SQLite's own date functions also produce unix seconds and julian days; text is what Sluice writes.
        (LogicalKind.Timestamp or LogicalKind.TimestampTz, long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        _ => value,
    };
}
