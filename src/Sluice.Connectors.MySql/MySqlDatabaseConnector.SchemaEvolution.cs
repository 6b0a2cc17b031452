using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>Schema evolution: ADD COLUMN and MODIFY COLUMN on an existing destination table.</summary>
public sealed partial class MySqlDatabaseConnector : ISchemaEvolvingDestination
{
    public async Task AddColumnsAsync(JsonObject config, ConfiguredStream stream, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        var parsed = Parse(config);
        var database = stream.DestinationNamespace ?? parsed.Database;
        await using var connection = await MySqlErrors.OpenAsync(parsed, forWriting: true, cancellationToken);
        if (await MySqlDdl.ExistsAsync(connection, database, stream.TargetName, cancellationToken))
            await MySqlDdl.AddMissingColumnsAsync(connection, database, stream.TargetName, columns, cancellationToken);
    }

    public async Task WidenColumnAsync(JsonObject config, ConfiguredStream stream, ColumnSchema column, CancellationToken cancellationToken)
    {
        var parsed = Parse(config);
        var database = stream.DestinationNamespace ?? parsed.Database;
        await using var connection = await MySqlErrors.OpenAsync(parsed, forWriting: true, cancellationToken);
        string? current;
        await using (var command = new MySqlCommand(
            "select COLUMN_TYPE from information_schema.COLUMNS where TABLE_SCHEMA = @db and cast(TABLE_NAME as binary) = cast(@t as binary) and COLUMN_NAME = @c", connection))
        {
            command.Parameters.AddWithValue("@db", database);
            command.Parameters.AddWithValue("@t", stream.TargetName);
            command.Parameters.AddWithValue("@c", column.Name);
            current = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        var isKey = stream.PrimaryKey.Any(k => k.Count > 0 && k[0] == column.Name);
        var native = MySqlTypeMap.ToNative(column.Type, isKey);
        if (current is null || WithoutDisplayWidth(current).Equals(native, StringComparison.OrdinalIgnoreCase))
            return;
        await MySqlDdl.ExecuteAsync(connection,
            $"alter table {MySqlIdentifiers.Quote(database, stream.TargetName)} modify column {MySqlIdentifiers.Quote(column.Name)} {native} NULL", cancellationToken);
    }

    /// <summary>MariaDB reports integer types with a display width (<c>bigint(20)</c>) that is no part of the type.</summary>
    private static string WithoutDisplayWidth(string columnType) => DisplayWidth().Replace(columnType, "$1");

    [GeneratedRegex(@"^(tinyint|smallint|mediumint|int|bigint)\(\d+\)", RegexOptions.IgnoreCase)]
    private static partial Regex DisplayWidth();
}
