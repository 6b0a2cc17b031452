using Apache.Arrow;
using MySqlConnector;

namespace Sluice.Connectors.MySql;

/// <summary>Loads one Arrow batch into a table, inside the caller's transaction.</summary>
internal interface IMySqlLoader
{
    /// <param name="columns">Indexes of the batch columns to load; their names are the table's column names.</param>
    /// <param name="constants">Metadata columns with the value every row gets.</param>
    Task LoadAsync(MySqlConnection connection, MySqlTransaction? transaction, string quotedTable, RecordBatch batch,
        IReadOnlyList<int> columns, IReadOnlyList<(string Name, object Value)> constants, CancellationToken cancellationToken);
}

/// <summary>LOAD DATA LOCAL INFILE through MySqlBulkCopy: the fast path, when the server has local_infile on.</summary>
internal sealed class MySqlLoadDataLoader : IMySqlLoader
{
    public async Task LoadAsync(MySqlConnection connection, MySqlTransaction? transaction, string quotedTable, RecordBatch batch,
        IReadOnlyList<int> columns, IReadOnlyList<(string Name, object Value)> constants, CancellationToken cancellationToken)
    {
        using var reader = new ArrowBatchDataReader(batch, columns, constants);
        var copy = new MySqlBulkCopy(connection, transaction) { DestinationTableName = quotedTable, BulkCopyTimeout = 0 };
        // Map by name: an appended-to table may order its columns differently from the batch.
        for (var i = 0; i < reader.FieldCount; i++)
            copy.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, reader.GetName(i)));
        var result = await copy.WriteToServerAsync(reader, cancellationToken);
        // LOAD DATA LOCAL turns errors into warnings and loads a changed value (truncated, rounded, clipped): refuse that.
        if (result.Warnings.Count > 0)
            throw new InvalidDataException($"loading {quotedTable} changed or rejected values: " +
                string.Join("; ", result.Warnings.Take(3).Select(w => $"{w.Level} {(int)w.ErrorCode}: {w.Message}")) +
                (result.Warnings.Count > 3 ? $" (and {result.Warnings.Count - 3} more)" : ""));
    }
}
