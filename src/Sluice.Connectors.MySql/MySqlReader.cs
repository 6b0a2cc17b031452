using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Sources;
using Sluice.Core.State;

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

    /// <summary>
    /// Reads one stream in key ranges (<see cref="KeyRangeRead"/>): each range is bounded on both sides and followed by
    /// a checkpoint, so a failed sync resumes after the last committed range; incremental reads take cursor &gt;= the
    /// saved value, so rows sharing the boundary value are read again rather than lost.
    /// </summary>
    private async IAsyncEnumerable<SourceMessage> ReadStreamAsync(MySqlConnection connection, ConfiguredStream stream, JsonNode? previous,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var descriptor = stream.Descriptor;
        var columns = stream.ReadColumns();
        if (columns.Count == 0)
            throw new ConfigException($"streams.{descriptor.Name}", "selects no columns", "select at least one column");
        var table = MySqlIdentifiers.Quote(descriptor.Namespace ?? config.Database, descriptor.Name);
        if (stream.SyncMode == SyncMode.Incremental && stream.Stream.Column(KeyRangeRead.CursorOf(stream)) is null)
            throw new ConfigException($"streams.{descriptor.Name}.cursor_field", $"names '{KeyRangeRead.CursorOf(stream)}', which the table does not have",
                $"use one of: {string.Join(", ", stream.Stream.CursorCandidates)}");
        var plan = await MissingAsConfigErrorAsync(KeyRangeRead.PlanAsync(stream, previous,
            column => DbKeyRanges.MaxAsync(connection, table, MySqlIdentifiers.Quote(column), MySqlRanges.AsText, cancellationToken)), descriptor);
        var ranges = new DbKeyRanges(connection, table, plan, MySqlIdentifiers.Quote, MySqlRanges.AsText, MySqlRanges.Binder(stream.Stream));
        var select = string.Join(", ", columns.Select(c => MySqlColumnSelect.Expression(stream, c)));

        yield return new StreamStatusMessage(descriptor, StreamStatus.Started);
        if (stream.Stream.EstimatedRows is { } estimate)
            yield return new EstimateMessage(descriptor, estimate, null);

        var targets = columns.Select(c => MySqlColumnSelect.Target(stream, c)).ToList();
        var rawBytes = new MySqlRawBytes();
        var readers = columns.Select((c, i) => MySqlValueReaders.For(targets[i], MySqlColumnSelect.IsRaw(stream, c), rawBytes)).ToArray();
        var builder = new RecordBatchBuilder(targets);
        void AppendRow(System.Data.Common.DbDataReader row)
        {
            var reader = (MySqlDataReader)row;
            for (var i = 0; i < readers.Length; i++)
            {
                if (reader.IsDBNull(i))
                    builder[i].AppendNull();
                else
                    readers[i](reader, i, builder[i]);
            }
        }

        await using var messages = ranges.ReadAsync(select, descriptor, builder, config.CheckpointRows, config.CheckpointSeconds, AppendRow, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await MissingAsConfigErrorAsync(messages.MoveNextAsync().AsTask(), descriptor))
            yield return messages.Current;
        yield return new StreamStatusMessage(descriptor, StreamStatus.Complete);
    }

    /// <summary>Runs a query, turning a table or column that is gone since discover into an error that says so.</summary>
    private async Task<T> MissingAsConfigErrorAsync<T>(Task<T> query, StreamDescriptor stream)
    {
        try
        {
            return await query;
        }
        catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.BadFieldError)
        {
            throw Missing(e, stream);
        }
    }

    private ConfigException Missing(MySqlException e, StreamDescriptor stream)
    {
        var what = e.ErrorCode == MySqlErrorCode.NoSuchTable
            ? $"table '{stream.Name}' does not exist in database '{stream.Namespace ?? config.Database}'"
            : $"table '{stream.Name}' lacks a configured column ({e.Message})";
        return new ConfigException($"streams.{stream.Name}", what, "discover the source again and update the connection's streams");
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
