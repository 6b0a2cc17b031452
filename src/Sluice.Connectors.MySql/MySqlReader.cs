using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Reads configured streams one after another over one connection. Rows stream from the server (MySqlConnector does
/// not buffer a result set), so memory stays at one record batch whatever the table size.
/// </summary>
internal sealed class MySqlReader(MySqlConfig config)
{
    public async IAsyncEnumerable<SourceMessage> ReadAsync(ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await MySqlErrors.OpenAsync(config, forWriting: false, cancellationToken);
        // UTC so TIMESTAMP values come back as UTC; long net timeouts because a slow destination may pause reading.
        await ExecuteAsync(connection, "set time_zone = '+00:00', net_write_timeout = 7200, net_read_timeout = 7200", cancellationToken);
        foreach (var stream in catalog.Streams)
            await foreach (var message in ReadStreamAsync(connection, stream, state.For(stream.Descriptor), cancellationToken))
                yield return message;
    }

    private async IAsyncEnumerable<SourceMessage> ReadStreamAsync(MySqlConnection connection, ConfiguredStream stream, JsonNode? previous,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var descriptor = stream.Descriptor;
        var columns = stream.ReadColumns();
        if (columns.Count == 0)
            throw new ConfigException($"streams.{descriptor.Name}", "selects no columns", "select at least one column");
        var cursor = stream.SyncMode == SyncMode.Incremental ? MySqlCursor.For(stream, previous) : null;

        var select = columns.Select(SelectExpression).ToList();
        var cursorOrdinal = -1;
        if (cursor is not null)
        {
            cursorOrdinal = columns.ToList().FindIndex(c => c.Name == cursor.Column.Name);
            if (cursorOrdinal < 0)
            {
                cursorOrdinal = select.Count;
                select.Add(MySqlIdentifiers.Quote(cursor.Column.Name));
            }
        }
        var sql = $"select {string.Join(", ", select)} from {MySqlIdentifiers.Quote(descriptor.Namespace ?? config.Database, descriptor.Name)}";
        if (cursor is not null)
            sql += cursor.WhereClause + $" order by {MySqlIdentifiers.Quote(cursor.Column.Name)}";

        yield return new StreamStatusMessage(descriptor, StreamStatus.Started);
        if (stream.Stream.EstimatedRows is { } estimate)
            yield return new EstimateMessage(descriptor, estimate, null);

        var readers = columns.Select(MySqlValueReaders.For).ToArray();
        var builder = new RecordBatchBuilder(columns);
        object? lastCursor = null;
        await using (var command = new MySqlCommand(sql, connection))
        {
            cursor?.AddParameter(command);
            await using var reader = await OpenReaderAsync(command, descriptor, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < readers.Length; i++)
                {
                    if (reader.IsDBNull(i))
                        builder[i].AppendNull();
                    else
                        readers[i](reader, i, builder[i]);
                }
                builder.EndRow();
                if (cursorOrdinal >= 0 && !reader.IsDBNull(cursorOrdinal))
                    lastCursor = reader.GetValue(cursorOrdinal);
                if (builder.IsFull)
                    yield return new RecordBatchMessage(descriptor, builder.Flush());
            }
        }
        if (builder.RowCount > 0)
            yield return new RecordBatchMessage(descriptor, builder.Flush());

        var data = cursor is null
            ? new JsonObject { ["state_type"] = "full_refresh" }
            : cursor.State(lastCursor);
        yield return new CheckpointMessage(new Checkpoint(descriptor, data));
        yield return new StreamStatusMessage(descriptor, StreamStatus.Complete);
    }

    /// <summary>Runs the query, turning a table that is gone since discover into an error that says so.</summary>
    private async Task<MySqlDataReader> OpenReaderAsync(MySqlCommand command, StreamDescriptor stream, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.BadFieldError)
        {
            var what = e.ErrorCode == MySqlErrorCode.NoSuchTable
                ? $"table '{stream.Name}' does not exist in database '{stream.Namespace ?? config.Database}'"
                : $"table '{stream.Name}' lacks a configured column ({e.Message})";
            throw new ConfigException($"streams.{stream.Name}", what, "discover the source again and update the connection's streams");
        }
    }

    /// <summary>Geometry goes out as standard WKB rather than MySQL's internal SRID-prefixed form.</summary>
    private static string SelectExpression(ColumnSchema column)
    {
        var quoted = MySqlIdentifiers.Quote(column.Name);
        var native = column.NativeType?.Split('(', ' ')[0] ?? "";
        return MySqlTypeMap.IsGeometry(native) ? $"ST_AsBinary({quoted}) as {quoted}" : quoted;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string CursorText(object value, LogicalKind kind) => value switch
    {
        MySqlDateTime d when kind == LogicalKind.Date => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}",
        MySqlDateTime d => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2} {d.Hour:D2}:{d.Minute:D2}:{d.Second:D2}.{d.Microsecond:D6}",
        DateTime d when kind == LogicalKind.Date => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
