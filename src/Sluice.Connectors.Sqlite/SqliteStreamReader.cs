using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sqlite;

/// <summary>Reads one table into record batches of the selected columns, then checkpoints and completes the stream.</summary>
internal static class SqliteStreamReader
{
    public static async IAsyncEnumerable<SourceMessage> ReadAsync(SqliteConnection connection, SqliteConfig config,
        ConfiguredStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await SqliteCatalogReader.DescribeAsync(connection, stream.Stream.Name, cancellationToken)
            ?? throw new ConfigException("catalog", $"table '{stream.Stream.Name}' does not exist in {config.Path}", "run discover again and update the connection's streams");
        var columns = stream.ReadColumns();
        var missing = columns.Where(c => table.Column(c.Name) is null).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new ConfigException("catalog", $"table '{stream.Stream.Name}' has no column(s) {string.Join(", ", missing)}", "run discover again");

        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        long rows = 0;
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => SqliteTypes.Quote(c.Name)))} FROM {SqliteTypes.Quote(stream.Stream.Name)}";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < columns.Count; i++)
                    Append(builder, i, columns[i], reader, stream.Stream.Name);
                builder.EndRow();
                rows++;
                if (builder.IsFull)
                    yield return new RecordBatchMessage(stream.Descriptor, builder.Flush());
            }
        }
        if (builder.RowCount > 0)
            yield return new RecordBatchMessage(stream.Descriptor, builder.Flush());
        yield return new CheckpointMessage(new Checkpoint(stream.Descriptor, new JsonObject { ["rows"] = rows }));
        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Complete);
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
        (LogicalKind.String, _) => System.Convert.ToString(value, CultureInfo.InvariantCulture),
        // SQLite's own date functions also produce unix seconds and julian days; text is what Sluice writes.
        (LogicalKind.Timestamp or LogicalKind.TimestampTz, long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        _ => value,
    };
}
