using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.Sources;
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
        var reads = PostgresColumnRead.ForStream(stream);
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
        var ctid = await PostgresCtidRange.PlanAsync(connection, stream, table, window.Keys.Count, config.CheckpointRows, cancellationToken);

        yield return new StreamStatusMessage(descriptor, StreamStatus.Started);
        yield return new EstimateMessage(descriptor, stream.Stream.EstimatedRows, null);
        var builder = new RecordBatchBuilder(reads.Select(r => r.Column).ToList());
        // Where a checkpoint may come inside a range (checkpoint_seconds), rows come in key order with the key's text
        // after the selected columns, so the checkpoint can resume after the last row sent.
        IReadOnlyList<string> keyTexts = window.MidRange == MidRangeCheckpoint.Never ? [] : window.Keys;
        var select = $"SELECT {string.Join(", ", reads.Select(r => r.Expression).Concat(keyTexts.Select(k => $"{Quote(k)}::text")))} FROM {table}";
        // Qualified, so a selected cast that keeps a key column's name does not take its place.
        var orderBy = keyTexts.Count == 0 ? "" : " ORDER BY " + string.Join(", ", keyTexts.Select(k => $"{table}.{Quote(k)}"));
        var ranges = new PostgresKeyRange(table, window.Keys, window.BaseFilter);
        var timed = new TimedCheckpoints(config.CheckpointSeconds, keyTexts.Count == 0 ? MidRangeCheckpoint.Never : window.MidRange);
        var after = window.ResumeAfter;
        byte[]? buffer = null;
        if (ctid is not null)
            await foreach (var message in PostgresCtidRead.ReadAsync(connection, ctid, reads, builder, descriptor, state, window.Resumable, config, cancellationToken))
                yield return message;
        while (!window.Empty && ctid is null)
        {
            var upTo = window.Keys.Count > 0 ? await ranges.NextBoundaryAsync(connection, after, config.CheckpointRows, cancellationToken) : null;
            var sql = $"COPY ({select}{ranges.Where(after, upTo)}{orderBy}) TO STDOUT (FORMAT BINARY)";
            await using (var copy = await connection.BeginRawBinaryCopyAsync(sql, cancellationToken))
            {
                var input = new PgCopyInput(copy, buffer);
                await input.ReadHeaderAsync(cancellationToken);
                // One delegate per range over the current row: a local function capturing each row would allocate a
                // closure and two delegates per row.
                var rowOffset = 0;
                Func<string?[]> keyOf = () => KeyText(input.Buffer, rowOffset, reads.Length, keyTexts.Count);
                while (await input.NextRowAsync(reads.Length + keyTexts.Count, cancellationToken) is { } row)
                {
                    rowOffset = row.Offset;
                    if (timed.BeforeRow(keyOf) is { } before)
                    {
                        if (builder.RowCount > 0)
                            yield return new RecordBatchMessage(descriptor, builder.Flush());
                        yield return new CheckpointMessage(new Checkpoint(descriptor, window.InProgress(before)));
                        timed.Restart();
                    }
                    DecodeRow(input.Buffer, row.Offset, reads, builder);
                    builder.EndRow();
                    if (builder.IsFull)
                        yield return new RecordBatchMessage(descriptor, builder.Flush());
                    if (timed.AfterRow(keyOf) is { } last)
                    {
                        if (builder.RowCount > 0)
                            yield return new RecordBatchMessage(descriptor, builder.Flush());
                        yield return new CheckpointMessage(new Checkpoint(descriptor, window.InProgress(last)));
                        timed.Restart();
                    }
                }
                await input.DrainAsync(cancellationToken);
                buffer = input.Buffer;
            }
            if (upTo is null)
                break;
            if (builder.RowCount > 0)
                yield return new RecordBatchMessage(descriptor, builder.Flush());
            yield return new CheckpointMessage(new Checkpoint(descriptor, window.InProgress(upTo)));
            timed.Restart();
            after = upTo;
        }
        if (builder.RowCount > 0)
            yield return new RecordBatchMessage(descriptor, builder.Flush());
        yield return new CheckpointMessage(new Checkpoint(descriptor, window.Completed));
        yield return new StreamStatusMessage(descriptor, StreamStatus.Complete);
    }

    /// <summary>The text of the <paramref name="count"/> fields after the first <paramref name="skip"/> of a binary COPY row (the key's ::text).</summary>
    private static string?[] KeyText(byte[] buffer, int offset, int skip, int count)
    {
        var position = offset + 2;
        var key = new string?[count];
        for (var i = 0; i < skip + count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(position));
            position += 4;
            if (i >= skip)
                key[i - skip] = length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, position, length);
            position += Math.Max(length, 0);
        }
        return key;
    }

    /// <summary>Decodes one binary COPY row (field count, then length-prefixed big-endian fields) into the column buffers.</summary>
    internal static void DecodeRow(byte[] buffer, int offset, PostgresColumnRead[] reads, RecordBatchBuilder builder)
    {
        var position = offset + 2;
        for (var i = 0; i < reads.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(position));
            position += 4;
            var column = builder[i];
            if (length < 0)
            {
                column.AppendNull();
                continue;
            }
            var field = new ReadOnlySpan<byte>(buffer, position, length);
            position += length;
            var read = reads[i];
            switch (read.Kind)
            {
                case ReadKind.Boolean: column.Append(field[0] != 0); break;
                case ReadKind.Int16: column.Append((long)BinaryPrimitives.ReadInt16BigEndian(field)); break;
                case ReadKind.Int32: column.Append((long)BinaryPrimitives.ReadInt32BigEndian(field)); break;
                case ReadKind.Int64: column.Append(BinaryPrimitives.ReadInt64BigEndian(field)); break;
                case ReadKind.Float32: column.Append((double)BinaryPrimitives.ReadSingleBigEndian(field)); break;
                case ReadKind.Float64: column.Append(BinaryPrimitives.ReadDoubleBigEndian(field)); break;
                case ReadKind.Numeric:
                    column.AppendUnscaled(PgNumeric.ToUnscaled(field, read.Column.Type.Scale, out var special)
                        ?? throw new InvalidDataException($"column {read.Column.Name} holds numeric {special}, which {read.Column.Type} cannot carry; declare it as unconstrained numeric to sync it"));
                    break;
                case ReadKind.Text or ReadKind.Bytes: column.Append(field); break;
                case ReadKind.Date:
                    var days = BinaryPrimitives.ReadInt32BigEndian(field);
                    column.Append((long)(days is int.MaxValue or int.MinValue ? days : days + EpochShiftDays));
                    break;
                case ReadKind.Time: column.Append(BinaryPrimitives.ReadInt64BigEndian(field)); break;
                case ReadKind.TimeTz:
                    column.Append(FormatTimeTz(BinaryPrimitives.ReadInt64BigEndian(field), BinaryPrimitives.ReadInt32BigEndian(field[8..])));
                    break;
                case ReadKind.Timestamp:
                    var micros = BinaryPrimitives.ReadInt64BigEndian(field);
                    column.Append(micros is long.MaxValue or long.MinValue ? micros : micros + EpochShiftMicros);
                    break;
            }
        }
    }

    /// <summary>timetz's binary form (microseconds of the day, zone in seconds west of UTC) as ISO HH:mm:ss.ffffff+hh:mm, which timetz input accepts back.</summary>
    private static string FormatTimeTz(long micros, int zoneWest)
    {
        var offset = TimeSpan.FromSeconds(-zoneWest);
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var time = TimeSpan.FromTicks(micros * 10);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(int)time.TotalHours:D2}:{time.Minutes:D2}:{time.Seconds:D2}.{micros % 1_000_000:D6}{sign}{abs.Hours:D2}:{abs.Minutes:D2}");
    }
}
