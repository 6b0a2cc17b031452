using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>Schema evolution: ADD COLUMN and ALTER COLUMN ... TYPE on an existing destination table.</summary>
public sealed partial class PostgresConnector : ISchemaEvolvingDestination
{
    public async Task AddColumnsAsync(JsonObject config, ConfiguredStream stream, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        var settings = PostgresConfig.Parse(config);
        var schema = stream.DestinationNamespace ?? settings.Schema;
        await using var connection = await PostgresErrors.OpenAsync(settings, cancellationToken, "sluice-schema");
        var existing = await PostgresTable.ColumnsAsync(connection, schema, stream.TargetName, cancellationToken);
        var missing = columns.Where(c => existing is not null && !existing.ContainsKey(c.Name)).ToList();
        if (missing.Count > 0)
            await PostgresTable.ExecuteAsync(connection, $"ALTER TABLE {Qualified(schema, stream.TargetName)} " +
                string.Join(", ", missing.Select(c => $"ADD COLUMN IF NOT EXISTS {Quote(c.Name)} {PostgresTypeMap.ToNative(c.Type)}")), cancellationToken);
    }

    public async Task WidenColumnAsync(JsonObject config, ConfiguredStream stream, ColumnSchema column, CancellationToken cancellationToken)
    {
        var settings = PostgresConfig.Parse(config);
        var schema = stream.DestinationNamespace ?? settings.Schema;
        await using var connection = await PostgresErrors.OpenAsync(settings, cancellationToken, "sluice-schema");
        var existing = await PostgresTable.ColumnsAsync(connection, schema, stream.TargetName, cancellationToken);
        var native = PostgresTypeMap.ToNative(column.Type);
        // format_type spells types as ToNative does (integer, bigint, numeric(12,2), double precision).
        if (existing is null || !existing.TryGetValue(column.Name, out var current) || current == native)
            return;
        await PostgresTable.ExecuteAsync(connection,
            $"ALTER TABLE {Qualified(schema, stream.TargetName)} ALTER COLUMN {Quote(column.Name)} TYPE {native} USING {Quote(column.Name)}::{native}", cancellationToken);
    }
}
