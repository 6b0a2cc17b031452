using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Sources;

namespace Sluice.Connectors.Sqlite;

/// <summary>Discovers the tables and views of a SQLite database with their declared types and primary keys.</summary>
internal static class SqliteCatalogReader
{
    public static async Task<SourceCatalog> DiscoverAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sluice\\_tmp\\_%' ESCAPE '\\' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                names.Add(reader.GetString(0));
        }
        var streams = new List<StreamSchema>();
        foreach (var name in names)
            streams.Add(await DescribeAsync(connection, name, cancellationToken) ?? throw new InvalidOperationException($"table '{name}' vanished during discover"));
        return new SourceCatalog(streams);
    }

    /// <summary>One table's schema, or null when it does not exist.</summary>
    public static async Task<StreamSchema?> DescribeAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        var columns = new List<ColumnSchema>();
        var key = new List<(int Position, string Column)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                var declared = reader.IsDBNull(1) ? "" : reader.GetString(1);
                var pk = reader.GetInt32(3);
                columns.Add(new ColumnSchema(name, SqliteTypes.FromDeclared(declared), Nullable: reader.GetInt32(2) == 0 && pk == 0, NativeType: declared));
                if (pk > 0)
                    key.Add((pk, name));
            }
        }
        if (columns.Count == 0)
            return null;
        return new StreamSchema
        {
            Descriptor = new StreamDescriptor(table),
            Columns = columns,
            PrimaryKey = key.OrderBy(k => k.Position).Select(k => (IReadOnlyList<string>)[k.Column]).ToList(),
            SupportedSyncModes = columns.Any(c => KeyRangeRead.CanOrder(c.Type)) ? [SyncMode.FullRefresh, SyncMode.Incremental] : [SyncMode.FullRefresh],
            CursorCandidates = columns.Where(c => KeyRangeRead.CanOrder(c.Type)).Select(c => c.Name).ToList(),
        };
    }
}
