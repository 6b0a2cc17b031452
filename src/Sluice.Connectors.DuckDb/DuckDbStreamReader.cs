using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.DuckDb;

/// <summary>Reads one table into record batches of the selected columns, then checkpoints and completes the stream.</summary>
internal static class DuckDbStreamReader
{
    public static async IAsyncEnumerable<SourceMessage> ReadAsync(DuckDBConnection connection, DuckDbConfig config,
        ConfiguredStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var schema = stream.Stream.Namespace ?? DuckDbConfig.DefaultSchema;
        var table = await DuckDbCatalogReader.DescribeAsync(connection, schema, stream.Stream.Name, cancellationToken)
            ?? throw new ConfigException("catalog", $"table '{schema}.{stream.Stream.Name}' does not exist in {config.Path}", "run discover again and update the connection's streams");
        var columns = stream.ReadColumns();
        var missing = columns.Where(c => table.Column(c.Name) is null).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new ConfigException("catalog", $"table '{stream.Stream.Name}' has no column(s) {string.Join(", ", missing)}", "run discover again");

        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        long rows = 0;
        using var command = connection.CreateCommand();
        var select = columns.Select(c => DuckDbTypes.SelectExpression(DuckDbTypes.Quote(c.Name), c.Type, table.Column(c.Name)!.NativeType ?? ""));
        command.CommandText = $"SELECT {string.Join(", ", select)} FROM {DuckDbTypes.Qualified(schema, stream.Stream.Name)}";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < columns.Count; i++)
                    builder.AppendValue(i, Convert(columns[i].Type, reader.IsDBNull(i) ? null : reader.GetValue(i)));
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
