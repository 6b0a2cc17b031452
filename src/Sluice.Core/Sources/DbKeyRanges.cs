using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Core.Sources;

/// <summary>
/// The ADO.NET side of a <see cref="KeyRangeRead"/> (SQLite, DuckDB, MySQL): the cursor's maximum,
/// each range's last key (found first, ordered by the range key), and the range's WHERE clause with its values bound
/// as parameters. Values travel as invariant text, so checkpoints hold them as JSON strings.
/// </summary>
/// <param name="asText">Wraps a column expression so the database returns it as text that reads back to the same value.</param>
/// <param name="bind">Adds a parameter holding a text value compared with the named column; returns the SQL standing for it.</param>
public sealed class DbKeyRanges(DbConnection connection, string quotedTable, KeyRangeRead plan, Func<string, string> quote,
    Func<string, string> asText, Func<DbCommand, string, string?, string> bind)
{
    public static async Task<string?> MaxAsync(DbConnection connection, string quotedTable, string quotedColumn, Func<string, string> asText,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {asText($"max({quotedColumn})")} FROM {quotedTable}";
        return Text(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>The last key of the range of at most <paramref name="rows"/> rows after <paramref name="after"/>; null when the rest fits.</summary>
    public async Task<string?[]?> NextBoundaryAsync(string?[]? after, int rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", plan.Keys.Select(k => asText(quote(k))))} FROM {quotedTable}{Where(command, after, null)} " +
                              $"ORDER BY {string.Join(", ", plan.Keys.Select(quote))} LIMIT 1 OFFSET {rows - 1}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return Enumerable.Range(0, plan.Keys.Count).Select(i => Text(reader.GetValue(i))).ToArray();
    }

    /// <summary>
    /// Reads the columns of <paramref name="selectList"/> range by range from where the plan resumes: record batches as
    /// the builder fills, a checkpoint after each range and, once <paramref name="checkpointSeconds"/> passed since the
    /// last one, inside a range too (the rows then come in key order, with the key's text after the selected columns,
    /// and the checkpoint resumes after the last row sent), and the completed checkpoint at the end.
    /// </summary>
    /// <param name="appendRow">Appends the reader's current row to the builder (the connector converts its own values).</param>
    public async IAsyncEnumerable<SourceMessage> ReadAsync(string selectList, StreamDescriptor descriptor, RecordBatchBuilder builder, int checkpointRows,
        double checkpointSeconds, Action<DbDataReader> appendRow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = plan.ResumeAfter;
        var timed = new TimedCheckpoints(checkpointSeconds, plan.Keys.Count > 0 ? plan.MidRange : MidRangeCheckpoint.Never);
        var ordered = plan.Keys.Count > 0 && plan.MidRange != MidRangeCheckpoint.Never;
        var select = ordered
            ? $"SELECT {selectList}, {string.Join(", ", plan.Keys.Select(k => asText(quote(k))))} FROM {quotedTable}"
            : $"SELECT {selectList} FROM {quotedTable}";
        // Qualified, so a selected expression named like a key column (a cast keeping its name) does not take its place.
        var orderBy = ordered ? " ORDER BY " + string.Join(", ", plan.Keys.Select(k => $"{quotedTable}.{quote(k)}")) : "";
        while (!plan.Empty)
        {
            var upTo = plan.Keys.Count > 0 ? await NextBoundaryAsync(after, checkpointRows, cancellationToken) : null;
            await using (var command = Command(select, after, upTo))
            {
                command.CommandText += orderBy;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var keyAt = reader.FieldCount - plan.Keys.Count;
                // One delegate per range: converting a local function at each call would allocate twice per row.
                Func<string?[]> keyOf = () => Enumerable.Range(keyAt, plan.Keys.Count).Select(i => Text(reader.GetValue(i))).ToArray();
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (timed.BeforeRow(keyOf) is { } before)
                    {
                        if (builder.RowCount > 0)
                            yield return new RecordBatchMessage(descriptor, builder.Flush());
                        yield return new CheckpointMessage(new Checkpoint(descriptor, plan.InProgress(before)));
                        timed.Restart();
                    }
                    appendRow(reader);
                    builder.EndRow();
                    if (builder.IsFull)
                        yield return new RecordBatchMessage(descriptor, builder.Flush());
                    if (timed.AfterRow(keyOf) is { } last)
                    {
                        if (builder.RowCount > 0)
                            yield return new RecordBatchMessage(descriptor, builder.Flush());
                        yield return new CheckpointMessage(new Checkpoint(descriptor, plan.InProgress(last)));
                        timed.Restart();
                    }
                }
            }
            if (upTo is null)
                break;
            if (builder.RowCount > 0)
                yield return new RecordBatchMessage(descriptor, builder.Flush());
            yield return new CheckpointMessage(new Checkpoint(descriptor, plan.InProgress(upTo)));
            timed.Restart();
            after = upTo;
        }
        if (builder.RowCount > 0)
            yield return new RecordBatchMessage(descriptor, builder.Flush());
        yield return new CheckpointMessage(new Checkpoint(descriptor, plan.Completed));
    }

    /// <summary>A command reading <paramref name="select"/> over the range (after, upTo].</summary>
    public DbCommand Command(string select, string?[]? after, string?[]? upTo)
    {
        var command = connection.CreateCommand();
        command.CommandText = select + Where(command, after, upTo);
        return command;
    }

    private string Where(DbCommand command, string?[]? after, string?[]? upTo)
    {
        var where = plan.Where(quote, after, upTo, (column, value) => bind(command, column, value));
        return where.Length == 0 ? "" : " WHERE " + where;
    }

    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
