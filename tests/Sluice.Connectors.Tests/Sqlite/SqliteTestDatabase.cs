using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Connectors.Tests.Compliance;

namespace Sluice.Connectors.Tests.Sqlite;

/// <summary>A SQLite database file in a temp folder, with raw SQL helpers that bypass the connector under test.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly TempDirectory _directory = new("sluice-sqlite");

    public string Path => _directory.Combine("test.db");

    public JsonObject Config => new() { ["path"] = Path };

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Execute(string sql, params object?[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
            command.Parameters.AddWithValue("$p" + i, parameters[i] ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of a table, or null when it does not exist.</summary>
    public WrittenTable? ReadTable(string table)
    {
        if (!File.Exists(Path))
            return null;
        using var connection = Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        exists.Parameters.AddWithValue("$name", table);
        if ((long)exists.ExecuteScalar()! == 0)
            return null;
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
            rows.Add(columns.Select((c, i) => (c, reader.IsDBNull(i) ? null : reader.GetValue(i))).ToDictionary(p => p.c, p => p.Item2));
        return new WrittenTable(columns, rows);
    }

    public void Dispose() => _directory.Dispose();
}
