using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>The DDL of the destination: create, widen for append, and the atomic overwrite swap.</summary>
internal static class MySqlDdl
{
    public static string CreateTable(string quotedTable, IReadOnlyList<ColumnSchema> columns, IReadOnlyList<string> keyColumns, bool ifNotExists, bool uniqueKey = false)
    {
        var keys = keyColumns.Where(k => columns.Any(c => c.Name == k)).ToList();
        var lines = columns.Select(c => $"  {MySqlIdentifiers.Quote(c.Name)} {MySqlTypeMap.ToNative(c.Type, keys.Contains(c.Name))} NULL").ToList();
        lines.Add($"  {MySqlIdentifiers.Quote(WriteContext.ExtractedAtColumn)} DATETIME(6) NOT NULL");
        lines.Add($"  {MySqlIdentifiers.Quote(WriteContext.SyncIdColumn)} BIGINT NOT NULL");
        // An index on the source's key: unique for deduped modes (their merge needs it); plain otherwise, as append may repeat rows.
        // InnoDB caps an index entry at 3072 bytes, so very wide keys go without.
        if (keys.Count > 0 && keys.Sum(k => (long)MySqlTypeMap.KeyBytes(columns.First(c => c.Name == k).Type)) <= 3072)
            lines.Add($"  {(uniqueKey ? "UNIQUE " : "")}KEY `_sluice_pk` ({string.Join(", ", keys.Select(MySqlIdentifiers.Quote))})");
        return $"create table {(ifNotExists ? "if not exists " : "")}{quotedTable} (\n{string.Join(",\n", lines)}\n) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin";
    }

    /// <summary>Adds columns an appended-to table lacks (a source that grew columns); existing ones are left as they are.</summary>
    public static async Task AddMissingColumnsAsync(MySqlConnection connection, string database, string table, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = new MySqlCommand("select COLUMN_NAME from information_schema.COLUMNS where TABLE_SCHEMA = @db and cast(TABLE_NAME as binary) = cast(@t as binary)", connection))
        {
            command.Parameters.AddWithValue("@db", database);
            command.Parameters.AddWithValue("@t", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                existing.Add(reader.GetString(0));
        }
        var missing = columns.Where(c => !existing.Contains(c.Name)).Select(c => $"add column {MySqlIdentifiers.Quote(c.Name)} {MySqlTypeMap.ToNative(c.Type, false)} NULL").ToList();
        if (existing.Count > 0)
        {
            if (!existing.Contains(WriteContext.ExtractedAtColumn))
                missing.Add($"add column {MySqlIdentifiers.Quote(WriteContext.ExtractedAtColumn)} DATETIME(6) NULL");
            if (!existing.Contains(WriteContext.SyncIdColumn))
                missing.Add($"add column {MySqlIdentifiers.Quote(WriteContext.SyncIdColumn)} BIGINT NULL");
        }
        if (missing.Count > 0)
            await ExecuteAsync(connection, $"alter table {MySqlIdentifiers.Quote(database, table)} {string.Join(", ", missing)}", cancellationToken);
    }

    /// <summary>Replaces the table by its staging table in one RENAME TABLE, which MySQL applies atomically.</summary>
    public static async Task SwapAsync(MySqlConnection connection, string database, string table, string staging, CancellationToken cancellationToken)
    {
        var old = MySqlIdentifiers.Helper(MySqlTarget.OldPrefix, table);
        await ExecuteAsync(connection, $"drop table if exists {MySqlIdentifiers.Quote(database, old)}", cancellationToken);
        if (await ExistsAsync(connection, database, table, cancellationToken))
        {
            await ExecuteAsync(connection,
                $"rename table {MySqlIdentifiers.Quote(database, table)} to {MySqlIdentifiers.Quote(database, old)}, " +
                $"{MySqlIdentifiers.Quote(database, staging)} to {MySqlIdentifiers.Quote(database, table)}", cancellationToken);
            await ExecuteAsync(connection, $"drop table {MySqlIdentifiers.Quote(database, old)}", cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, $"rename table {MySqlIdentifiers.Quote(database, staging)} to {MySqlIdentifiers.Quote(database, table)}", cancellationToken);
        }
    }

    public static async Task<bool> ExistsAsync(MySqlConnection connection, string database, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("select count(*) from information_schema.TABLES where TABLE_SCHEMA = @db and cast(TABLE_NAME as binary) = cast(@t as binary)", connection);
        command.Parameters.AddWithValue("@db", database);
        command.Parameters.AddWithValue("@t", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    public static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
