using System.Text.RegularExpressions;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>Reads base tables and views of one database from information_schema.</summary>
internal static partial class MySqlDiscovery
{
    [GeneratedRegex(@"^json_valid\(`((?:[^`]|``)+)`\)$", RegexOptions.IgnoreCase)]
    private static partial Regex JsonCheck();

    public static async Task<SourceCatalog> DiscoverAsync(MySqlConnection connection, string database, CancellationToken cancellationToken)
    {
        var tables = new List<(string Name, long? Rows)>();
        await using (var command = Command(connection, database,
            "select TABLE_NAME, TABLE_ROWS from information_schema.TABLES where TABLE_SCHEMA = @db " +
            "and TABLE_TYPE in ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') order by TABLE_NAME"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                tables.Add((reader.GetString(0), reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1))));

        var keys = await KeysAsync(connection, database, cancellationToken);
        var json = await JsonColumnsAsync(connection, database, cancellationToken);
        var columns = await ColumnsAsync(connection, database, json, cancellationToken);

        var streams = new List<StreamSchema>();
        foreach (var (name, rows) in tables)
        {
            if (!columns.TryGetValue(name, out var cols))
                continue;
            var pk = keys.TryGetValue(name, out var k) ? k : [];
            var candidates = cols.Where(MySqlTypeMap.IsCursorCandidate).Select(c => c.Name).ToList();
            streams.Add(new StreamSchema
            {
                Descriptor = new StreamDescriptor(name, database),
                Columns = cols,
                SupportedSyncModes = candidates.Count > 0 ? [SyncMode.FullRefresh, SyncMode.Incremental] : [SyncMode.FullRefresh],
                PrimaryKey = pk.Select(c => (IReadOnlyList<string>)[c]).ToList(),
                CursorCandidates = candidates,
                DefaultCursorField = [],
                EstimatedRows = rows,
            });
        }
        return new SourceCatalog(streams);
    }

    private static async Task<Dictionary<string, List<ColumnSchema>>> ColumnsAsync(MySqlConnection connection, string database,
        HashSet<(string, string)> json, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<ColumnSchema>>(StringComparer.Ordinal);
        await using var command = Command(connection, database,
            "select TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE " +
            "from information_schema.COLUMNS where TABLE_SCHEMA = @db order by TABLE_NAME, ORDINAL_POSITION");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            var name = reader.GetString(1);
            var native = new MySqlTypeMap.NativeColumn(
                reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(5) ? null : Convert.ToInt64(reader.GetValue(5)),
                reader.IsDBNull(6) ? null : Convert.ToInt64(reader.GetValue(6)),
                json.Contains((table, name)));
            var type = MySqlTypeMap.ToLogical(native);
            // Zero dates read as NULL (see the docs), so a NOT NULL temporal column can still yield nulls.
            var nullable = reader.GetString(4) == "YES" || type.Kind is LogicalKind.Date or LogicalKind.Timestamp or LogicalKind.TimestampTz;
            if (!result.TryGetValue(table, out var list))
                result[table] = list = [];
            list.Add(new ColumnSchema(name, type, nullable, native.ColumnType));
        }
        return result;
    }

    private static async Task<Dictionary<string, List<string>>> KeysAsync(MySqlConnection connection, string database, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var command = Command(connection, database,
            "select TABLE_NAME, COLUMN_NAME from information_schema.KEY_COLUMN_USAGE " +
            "where TABLE_SCHEMA = @db and CONSTRAINT_NAME = 'PRIMARY' order by TABLE_NAME, ORDINAL_POSITION");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            if (!keys.TryGetValue(table, out var list))
                keys[table] = list = [];
            list.Add(reader.GetString(1));
        }
        return keys;
    }

    /// <summary>
    /// MariaDB's JSON is LONGTEXT with a json_valid() check, so information_schema.COLUMNS says longtext: find the checks.
    /// (MySQL has a real json type, and a CHECK_CONSTRAINTS view without TABLE_NAME, so it is skipped there.)
    /// </summary>
    private static async Task<HashSet<(string, string)>> JsonColumnsAsync(MySqlConnection connection, string database, CancellationToken cancellationToken)
    {
        var result = new HashSet<(string, string)>();
        if (!connection.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
            return result;
        await using var command = Command(connection, database,
            "select TABLE_NAME, CHECK_CLAUSE from information_schema.CHECK_CONSTRAINTS " +
            "where CONSTRAINT_SCHEMA = @db and CHECK_CLAUSE like 'json_valid(%'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var match = JsonCheck().Match(reader.GetString(1));
            if (match.Success)
                result.Add((reader.GetString(0), match.Groups[1].Value.Replace("``", "`", StringComparison.Ordinal)));
        }
        return result;
    }

    private static MySqlCommand Command(MySqlConnection connection, string database, string sql)
    {
        var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@db", database);
        return command;
    }
}
