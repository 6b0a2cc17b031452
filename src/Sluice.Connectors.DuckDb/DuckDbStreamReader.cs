using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Sources;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// Reads one table into record batches of the selected columns, in key ranges (<see cref="KeyRangeRead"/>): each
/// range is followed by a checkpoint, so a failed sync resumes after the last committed range; incremental reads take
/// cursor &gt;= the saved value, so rows sharing the boundary value are read again rather than lost.
/// </summary>
internal static class DuckDbStreamReader
{
    public static async IAsyncEnumerable<SourceMessage> ReadAsync(DuckDBConnection connection, DuckDbConfig config,
        ConfiguredStream stream, JsonNode? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var schema = stream.Stream.Namespace ?? DuckDbConfig.DefaultSchema;
        var table = await DuckDbCatalogReader.DescribeAsync(connection, schema, stream.Stream.Name, cancellationToken)
            ?? throw new ConfigException("catalog", $"table '{schema}.{stream.Stream.Name}' does not exist in {config.Path}", "run discover again and update the connection's streams");
        var columns = stream.ReadColumns();
        var missing = columns.Where(c => table.Column(c.Name) is null).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new ConfigException("catalog", $"table '{stream.Stream.Name}' has no column(s) {string.Join(", ", missing)}", "run discover again");
        if (stream.SyncMode == SyncMode.Incremental && table.Column(KeyRangeRead.CursorOf(stream)) is null)
            throw new ConfigException($"streams.{stream.Stream.Name}.cursor_field", $"names '{KeyRangeRead.CursorOf(stream)}', which the table does not have",
                $"use one of: {string.Join(", ", table.Columns.Where(c => KeyRangeRead.CanOrder(c.Type)).Select(c => c.Name))}");
        var quoted = DuckDbTypes.Qualified(schema, stream.Stream.Name);
        var plan = await KeyRangeRead.PlanAsync(stream, state, cursor => DbKeyRanges.MaxAsync(connection, quoted, DuckDbTypes.Quote(cursor), AsText, cancellationToken));
        // DuckDB compares no VARCHAR with a number or a timestamp implicitly: each bound value is cast to its column's type.
        string Bind(System.Data.Common.DbCommand command, string column, string? value)
        {
            var name = "r" + command.Parameters.Count;
            command.Parameters.Add(new DuckDBParameter(name, value));
            return $"CAST(${name} AS {table.Column(column)!.NativeType})";
        }
        var ranges = new DbKeyRanges(connection, quoted, plan, DuckDbTypes.Quote, AsText, Bind);
        var select = columns.Select(c => DuckDbTypes.SelectExpression(DuckDbTypes.Quote(c.Name), c.Type, table.Column(c.Name)!.NativeType ?? ""));
        var sql = string.Join(", ", select);

        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        await foreach (var message in ranges.ReadAsync(sql, stream.Descriptor, builder, config.CheckpointRows, config.CheckpointSeconds, reader =>
                       {
                           for (var i = 0; i < columns.Count; i++)
                               builder.AppendValue(i, Convert(columns[i].Type, reader.IsDBNull(i) ? null : reader.GetValue(i)));
                       }, cancellationToken))
            yield return message;
        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Complete);
    }

    /// <summary>DuckDB's VARCHAR form of a value casts back to the same value (doubles print their shortest exact form).</summary>
    private static string AsText(string expression) => $"CAST({expression} AS VARCHAR)";

    /// <summary>Driver values the record batch builder does not take as they come.</summary>
    private static object? Convert(LogicalType type, object? value) => value switch
    {
        Stream blob => ReadAll(blob),
        DateTime date when type.Kind == LogicalKind.Date => DateOnly.FromDateTime(date),
        DateTime utc when type.Kind == LogicalKind.TimestampTz => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        _ => value,
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
