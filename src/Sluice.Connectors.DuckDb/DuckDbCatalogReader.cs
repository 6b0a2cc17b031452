using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Sources;

namespace Sluice.Connectors.DuckDb;

/// <summary>Discovers the tables and views of a DuckDB database, per schema, with their types and primary keys.</summary>
internal static class DuckDbCatalogReader
{
    public static async Task<SourceCatalog> DiscoverAsync(DuckDBConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<(string Schema, string Table)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT table_schema, table_name FROM information_schema.tables
                WHERE table_catalog = current_database() AND table_schema NOT IN ('information_schema', 'pg_catalog')
                  AND table_name NOT LIKE '\_sluice\_tmp\_%' ESCAPE '\'
                ORDER BY table_schema, table_name
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                tables.Add((reader.GetString(0), reader.GetString(1)));
        }
        var streams = new List<StreamSchema>();
        foreach (var (schema, table) in tables)
            if (await DescribeAsync(connection, schema, table, cancellationToken) is { } stream)
                streams.Add(stream);
        return new SourceCatalog(streams);
    }

    /// <summary>One table's schema, or null when it does not exist.</summary>
    public static async Task<StreamSchema?> DescribeAsync(DuckDBConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        var columns = new List<ColumnSchema>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_catalog = current_database() AND table_schema = $schema AND table_name = $table
                ORDER BY ordinal_position
                """;
            command.Parameters.Add(new DuckDBParameter("schema", schema));
            command.Parameters.Add(new DuckDBParameter("table", table));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var native = reader.GetString(1);
                columns.Add(new ColumnSchema(reader.GetString(0), DuckDbTypes.FromNative(native), reader.GetString(2) == "YES", native));
            }
        }
        if (columns.Count == 0)
            return null;
        var key = new List<IReadOnlyList<string>>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT unnest(constraint_column_names) FROM duckdb_constraints()
                WHERE database_name = current_database() AND schema_name = $schema AND table_name = $table AND constraint_type = 'PRIMARY KEY'
                """;
            command.Parameters.Add(new DuckDBParameter("schema", schema));
            command.Parameters.Add(new DuckDBParameter("table", table));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                key.Add([reader.GetString(0)]);
        }
        return new StreamSchema
        {
            Descriptor = new StreamDescriptor(table, schema),
            Columns = columns,
            PrimaryKey = key,
            SupportedSyncModes = columns.Any(c => KeyRangeRead.CanOrder(c.Type)) ? [SyncMode.FullRefresh, SyncMode.Incremental] : [SyncMode.FullRefresh],
            CursorCandidates = columns.Where(c => KeyRangeRead.CanOrder(c.Type)).Select(c => c.Name).ToList(),
        };
    }
}
