using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// Schema evolution: ADD COLUMN and ALTER COLUMN ... SET DATA TYPE on an existing destination table. DuckDB refuses
/// to change the type of a column an index or key depends on; such a sync fails with DuckDB's message.
/// </summary>
public sealed partial class DuckDbConnector : ISchemaEvolvingDestination
{
    public async Task AddColumnsAsync(JsonObject config, ConfiguredStream stream, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        if (!settings.Exists)
            return;
        await using var connection = await settings.OpenAsync(cancellationToken);
        var schema = stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema;
        var existing = await ColumnTypesAsync(connection, schema, stream.TargetName, cancellationToken);
        if (existing.Count == 0)
            return;
        foreach (var column in columns.Where(c => !existing.ContainsKey(c.Name)))
            await ExecuteAsync(connection, $"ALTER TABLE {DuckDbTypes.Qualified(schema, stream.TargetName)} ADD COLUMN IF NOT EXISTS {DuckDbTypes.Quote(column.Name)} {DuckDbTypes.ToNative(column.Type)}", cancellationToken);
    }

    public async Task WidenColumnAsync(JsonObject config, ConfiguredStream stream, ColumnSchema column, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        if (!settings.Exists)
            return;
        await using var connection = await settings.OpenAsync(cancellationToken);
        var schema = stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema;
        var existing = await ColumnTypesAsync(connection, schema, stream.TargetName, cancellationToken);
        var native = DuckDbTypes.ToNative(column.Type);
        if (!existing.TryGetValue(column.Name, out var current) || current.Equals(native, StringComparison.OrdinalIgnoreCase))
            return;
        await ExecuteAsync(connection, $"ALTER TABLE {DuckDbTypes.Qualified(schema, stream.TargetName)} ALTER COLUMN {DuckDbTypes.Quote(column.Name)} SET DATA TYPE {native}", cancellationToken);
    }

    private static async Task<Dictionary<string, string>> ColumnTypesAsync(DuckDBConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $schema AND table_name = $table";
        command.Parameters.Add(new DuckDBParameter("schema", schema));
        command.Parameters.Add(new DuckDBParameter("table", table));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            columns[reader.GetString(0)] = reader.GetString(1);
        return columns;
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
