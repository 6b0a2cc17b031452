using Microsoft.Data.Sqlite;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// Changes declared column types the way SQLite documents (https://sqlite.org/lang_altertable.html#otheralter):
/// create the new table, copy the rows, drop the old one, rename, recreate its indexes, all in the caller's transaction.
/// </summary>
internal static class SqliteTableRebuild
{
    public sealed record Column(string Name, string Declared, bool NotNull, string? Default, int KeyPosition);

    public static async Task<IReadOnlyList<Column>> ColumnsAsync(SqliteConnection connection, SqliteTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var columns = new List<Column>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($table) ORDER BY cid";
        command.Parameters.AddWithValue("$table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            columns.Add(new Column(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.IsDBNull(3) ? null : reader.GetString(3), (int)reader.GetInt64(4)));
        return columns;
    }

    public static async Task RebuildAsync(SqliteConnection connection, SqliteTransaction transaction, string table, IReadOnlyList<Column> columns, CancellationToken cancellationToken)
    {
        var indexes = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL";
            command.Parameters.AddWithValue("$table", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                indexes.Add(reader.GetString(0));
        }
        var rebuilt = "_sluice_rebuild_" + table;
        var definitions = columns.Select(c => $"{SqliteTypes.Quote(c.Name)} {c.Declared}{(c.NotNull ? " NOT NULL" : "")}{(c.Default is null ? "" : " DEFAULT " + c.Default)}").ToList();
        var key = columns.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => SqliteTypes.Quote(c.Name)).ToList();
        if (key.Count > 0)
            definitions.Add($"PRIMARY KEY ({string.Join(", ", key)})");
        var names = string.Join(", ", columns.Select(c => SqliteTypes.Quote(c.Name)));
        await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {SqliteTypes.Quote(rebuilt)}", cancellationToken);
        await ExecuteAsync(connection, transaction, $"CREATE TABLE {SqliteTypes.Quote(rebuilt)} ({string.Join(", ", definitions)})", cancellationToken);
        await ExecuteAsync(connection, transaction, $"INSERT INTO {SqliteTypes.Quote(rebuilt)} ({names}) SELECT {names} FROM {SqliteTypes.Quote(table)}", cancellationToken);
        await ExecuteAsync(connection, transaction, $"DROP TABLE {SqliteTypes.Quote(table)}", cancellationToken);
        await ExecuteAsync(connection, transaction, $"ALTER TABLE {SqliteTypes.Quote(rebuilt)} RENAME TO {SqliteTypes.Quote(table)}", cancellationToken);
        foreach (var index in indexes)
            await ExecuteAsync(connection, transaction, index, cancellationToken);
    }

    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
