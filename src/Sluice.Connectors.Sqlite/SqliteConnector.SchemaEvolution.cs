using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// Schema evolution: ADD COLUMN, and a widening by rebuilding the table (SQLite cannot change a declared type in
/// place; this is its documented twelve-step procedure, in one transaction). Most widenings keep the declared type
/// (every integer is INTEGER, every float REAL) and cost nothing.
/// </summary>
public sealed partial class SqliteConnector : ISchemaEvolvingDestination
{
    public async Task AddColumnsAsync(JsonObject config, ConfiguredStream stream, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        if (!settings.Exists)
            return;
        await using var connection = await settings.OpenReadWriteAsync(cancellationToken);
        var existing = await SqliteTableRebuild.ColumnsAsync(connection, null, stream.TargetName, cancellationToken);
        if (existing.Count == 0)
            return;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var column in columns.Where(c => !existing.Any(e => e.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase))))
            await SqliteTableRebuild.ExecuteAsync(connection, transaction,
                $"ALTER TABLE {SqliteTypes.Quote(stream.TargetName)} ADD COLUMN {SqliteTypes.Quote(column.Name)} {SqliteTypes.ToDeclared(column.Type)}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task WidenColumnAsync(JsonObject config, ConfiguredStream stream, ColumnSchema column, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        if (!settings.Exists)
            return;
        await using var connection = await settings.OpenReadWriteAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var existing = await SqliteTableRebuild.ColumnsAsync(connection, transaction, stream.TargetName, cancellationToken);
        var declared = SqliteTypes.ToDeclared(column.Type);
        var current = existing.FirstOrDefault(c => c.Name.Equals(column.Name, StringComparison.OrdinalIgnoreCase));
        if (current is null || current.Declared.Equals(declared, StringComparison.OrdinalIgnoreCase))
            return;
        await SqliteTableRebuild.RebuildAsync(connection, transaction, stream.TargetName, existing.Select(c => c == current ? c with { Declared = declared } : c).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
