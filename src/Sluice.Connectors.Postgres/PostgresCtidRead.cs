using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.Sources;
using Sluice.Core.State;
using Tid = Sluice.Connectors.Postgres.PostgresCtidRange.Tid;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// The full-refresh read of a table without a primary key in ctid ranges (<see cref="PostgresCtidRange"/>): one COPY
/// per range with each row's ctid after the selected columns, a checkpoint after each range and, once
/// checkpoint_seconds passed, after any row inside one (a ctid is unique, like a primary key).
/// </summary>
internal static class PostgresCtidRead
{
    public static async IAsyncEnumerable<SourceMessage> ReadAsync(NpgsqlConnection connection, PostgresCtidRange ranges, PostgresColumnRead[] reads,
        RecordBatchBuilder builder, StreamDescriptor descriptor, JsonNode? state, bool resumable, PostgresConfig config,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Rows come in ctid order without ORDER BY (which would sort each range: the planner does not know a TID range
        // scan walks its pages forward). Plans that would not keep that order (parallel ones, a synchronized seq scan
        // joining another mid-table) are turned off for the read, and every row's ctid is checked to be increasing.
        await PostgresTable.ExecuteAsync(connection, "SET max_parallel_workers_per_gather = 0; SET synchronize_seqscans = off", cancellationToken);
        var select = $"SELECT {string.Join(", ", reads.Select(r => r.Expression))}, ctid FROM {ranges.Table}";
        var timed = new TimedCheckpoints(config.CheckpointSeconds, MidRangeCheckpoint.AfterAnyRow);
        var from = ranges.ResumeFrom(state, resumable);
        // The last row's ctid packed as page << 16 | line pointer: one compare per row, and not captured by a delegate
        // (TimedCheckpoints gets one that returns nothing; the checkpoint is made from this).
        var last = -1L;
        byte[]? buffer = null;
        while (true)
        {
            var to = ranges.RangeEnd(from);
            await ranges.BeginRangeAsync(connection, cancellationToken);
            await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY ({select}{ranges.Where(from, to)}) TO STDOUT (FORMAT BINARY)", cancellationToken))
            {
                var input = new PgCopyInput(copy, buffer);
                await input.ReadHeaderAsync(cancellationToken);
                while (await input.NextRowAsync(reads.Length + 1, cancellationToken) is { } row)
                {
                    // The ctid is the row's last field: 4 bytes of length, then page (uint32) and line pointer (uint16).
                    var end = row.Offset + row.Length;
                    var tid = (long)BinaryPrimitives.ReadUInt32BigEndian(input.Buffer.AsSpan(end - 6)) << 16 | BinaryPrimitives.ReadUInt16BigEndian(input.Buffer.AsSpan(end - 2));
                    if (tid <= last)
                        throw new InvalidOperationException($"rows of {ranges.Table} came out of ctid order ({Unpack(tid)} after {Unpack(last)}); a checkpoint inside a range would not be exact");
                    last = tid;
                    PostgresReader.DecodeRow(input.Buffer, row.Offset, reads, builder);
                    builder.EndRow();
                    if (builder.IsFull)
                        yield return new RecordBatchMessage(descriptor, builder.Flush());
                    if (timed.AfterRow(NoKey) is not null)
                    {
                        if (builder.RowCount > 0)
                            yield return new RecordBatchMessage(descriptor, builder.Flush());
                        yield return new CheckpointMessage(new Checkpoint(descriptor, ranges.InProgress(Unpack(last + 1))));
                        timed.Restart();
                    }
                }
                await input.DrainAsync(cancellationToken);
                buffer = input.Buffer;
            }
            await PostgresCtidRange.EndRangeAsync(connection, cancellationToken);
            if (to is not { } next)
                break;
            if (builder.RowCount > 0)
                yield return new RecordBatchMessage(descriptor, builder.Flush());
            yield return new CheckpointMessage(new Checkpoint(descriptor, ranges.InProgress(next)));
            timed.Restart();
            from = next;
        }
        await PostgresTable.ExecuteAsync(connection, "RESET max_parallel_workers_per_gather; RESET synchronize_seqscans", cancellationToken);
    }

    private static readonly Func<string?[]> NoKey = () => [];

    private static Tid Unpack(long tid) => new(tid >> 16, (int)(tid & 0xFFFF));
}
