using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>Reads one configured stream with binary COPY into Arrow batches.</summary>
internal static class PostgresReader
{
    /// <summary>PostgreSQL counts dates and timestamps from 2000-01-01; Sluice from 1970-01-01.</summary>
    public const long EpochShiftMicros = 946_684_800_000_000L;
    public const int EpochShiftDays = 10_957;

    public static async IAsyncEnumerable<SourceMessage> ReadStreamAsync(NpgsqlConnection connection, ConfiguredStream stream,
        JsonNode? state, PostgresConfig config, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var descriptor = stream.Descriptor;
        var reads = stream.ReadColumns().Select(PostgresColumnRead.For).ToArray();
        if (reads.Length == 0)
            throw new Core.Connectors.ConfigException($"streams.{descriptor}", "selects no columns", "select at least one column");
        var table = Qualified(descriptor.Namespace ?? "public", descriptor.Name);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("t", table);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
                throw new Core.Connectors.ConfigException($"streams.{descriptor}", $"table {descriptor.Name} does not exist in schema '{descriptor.Namespace ?? "public"}' of database '{connection.Database}'", "discover the source again or remove the stream");
        }
        var window = await PostgresReadWindow.CreateAsync(connection, stream, table, state, cancellationToken);

        yield return new StreamStatusMessage(descriptor, StreamStatus.Started);
        yield return new EstimateMessage(descriptor, stream.Stream.EstimatedRows, null);
        var builder = new RecordBatchBuilder(reads.Select(r => r.Column).ToList());
        var select = $"SELECT {string.Join(", ", reads.Select(r => r.Expression))} FROM {table}";
        var ranges = new PostgresKeyRange(table, window.Keys, window.BaseFilter);
        var after = window.ResumeAfter;
        var rows = config.CheckpointRows;
        while (!window.Empty)
        {
            var started = Stopwatch.GetTimestamp();
            var upTo = window.Keys.Count > 0 ? await ranges.NextBoundaryAsync(connection, after, rows, cancellationToken) : null;
            var sql = $"COPY ({select}{ranges.Where(after, upTo)}) TO STDOUT (FORMAT BINARY)";
            await using (var exporter = await connection.BeginBinaryExportAsync(sql, cancellationToken))
            {
                while (await exporter.StartRowAsync(cancellationToken) != -1)
                {
                    for (var i = 0; i < reads.Length; i++)
                        await ReadValueAsync(exporter, reads[i], builder[i], cancellationToken);
                    builder.EndRow();
                    if (builder.IsFull)
                        yield return new RecordBatchMessage(descriptor, builder.Flush());
                }
            }
            if (upTo is null)
                break;
            if (builder.RowCount > 0)
                yield return new RecordBatchMessage(descriptor, builder.Flush());
            yield return new CheckpointMessage(new Checkpoint(descriptor, window.InProgress(upTo)));
            after = upTo;
            // A range slower than checkpoint_seconds halves the next one, so checkpoints keep coming on slow tables.
            if (Stopwatch.GetElapsedTime(started).TotalSeconds > config.CheckpointSeconds)
                rows = Math.Max(1, rows / 2);
        }
        if (builder.RowCount > 0)
            yield return new RecordBatchMessage(descriptor, builder.Flush());
        yield return new CheckpointMessage(new Checkpoint(descriptor, window.Completed));
        yield return new StreamStatusMessage(descriptor, StreamStatus.Complete);
    }

    private static async ValueTask ReadValueAsync(NpgsqlBinaryExporter exporter, PostgresColumnRead read, ColumnBuffer buffer, CancellationToken ct)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(ct);
            buffer.AppendNull();
            return;
        }
        switch (read.Kind)
        {
            case ReadKind.Boolean: buffer.Append(await exporter.ReadAsync<bool>(ct)); break;
            case ReadKind.Int16: buffer.Append((long)await exporter.ReadAsync<short>(ct)); break;
            case ReadKind.Int32: buffer.Append((long)await exporter.ReadAsync<int>(ct)); break;
            case ReadKind.Int64: buffer.Append(await exporter.ReadAsync<long>(ct)); break;
            case ReadKind.Float32: buffer.Append((double)await exporter.ReadAsync<float>(ct)); break;
            case ReadKind.Float64: buffer.Append(await exporter.ReadAsync<double>(ct)); break;
            case ReadKind.DecimalText: AppendDecimal(buffer, read, await exporter.ReadAsync<string>(ct)); break;
            case ReadKind.Text: buffer.Append(await exporter.ReadAsync<string>(ct)); break;
            case ReadKind.Bytes: buffer.Append((await exporter.ReadAsync<byte[]>(ct)).AsSpan()); break;
            case ReadKind.Date:
                var days = await exporter.ReadAsync<int>(NpgsqlDbType.Date, ct);
                buffer.Append((long)(days is int.MaxValue or int.MinValue ? days : days + EpochShiftDays));
                break;
            case ReadKind.Time: buffer.Append(await exporter.ReadAsync<long>(NpgsqlDbType.Time, ct)); break;
            case ReadKind.TimeTz: buffer.Append(FormatTimeTz(await exporter.ReadAsync<DateTimeOffset>(NpgsqlDbType.TimeTz, ct))); break;
            case ReadKind.Timestamp:
                var micros = await exporter.ReadAsync<long>(read.Column.Type.Kind == LogicalKind.TimestampTz ? NpgsqlDbType.TimestampTz : NpgsqlDbType.Timestamp, ct);
                buffer.Append(micros is long.MaxValue or long.MinValue ? micros : micros + EpochShiftMicros);
                break;
        }
    }

    private static void AppendDecimal(ColumnBuffer buffer, PostgresColumnRead read, string text)
    {
        if (text is "NaN" or "Infinity" or "-Infinity")
            throw new InvalidDataException($"column {read.Column.Name} holds numeric {text}, which {read.Column.Type} cannot carry; declare it as unconstrained numeric to sync it");
        buffer.AppendDecimalText(text);
    }

    /// <summary>ISO form HH:mm:ss.ffffff+hh:mm, which timetz input accepts back.</summary>
    public static string FormatTimeTz(DateTimeOffset value) =>
        value.ToString("HH':'mm':'ss'.'ffffffzzz", CultureInfo.InvariantCulture);
}
