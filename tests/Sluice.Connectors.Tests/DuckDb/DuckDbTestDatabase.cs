using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Connectors.Tests.Compliance;

namespace Sluice.Connectors.Tests.DuckDb;

/// <summary>A DuckDB database file in a temp folder, with raw SQL helpers that bypass the connector under test.</summary>
internal sealed class DuckDbTestDatabase : IDisposable
{
    private readonly TempDirectory _directory = new("sluice-duckdb");

    public string Path => _directory.Combine("test.duckdb");

    public JsonObject Config => new() { ["path"] = Path };

    public DuckDBConnection Open()
    {
        var connection = new DuckDBConnection($"Data Source={Path}");
        connection.Open();
        return connection;
    }

    public void Execute(string sql, params object?[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of main.table, or null when it does not exist.</summary>
    public WrittenTable? ReadTable(string table)
    {
        if (!File.Exists(Path))
            return null;
        using var connection = Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $name";
        exists.Parameters.Add(new DuckDBParameter("name", table));
        if (Convert.ToInt64(exists.ExecuteScalar()) == 0)
            return null;
        // DuckDB.NET reads DECIMAL as a .NET decimal (28 digits): read decimals as text to see what was stored.
        var select = new List<string>();
        using (var describe = connection.CreateCommand())
        {
            describe.CommandText = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $name ORDER BY ordinal_position";
            describe.Parameters.Add(new DuckDBParameter("name", table));
            using var columnReader = describe.ExecuteReader();
            while (columnReader.Read())
            {
                var quoted = "\"" + columnReader.GetString(0).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                select.Add(columnReader.GetString(1).StartsWith("DECIMAL", StringComparison.Ordinal) ? $"CAST({quoted} AS VARCHAR) AS {quoted}" : quoted);
            }
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", select)} FROM main.\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
            rows.Add(columns.Select((c, i) => (c, reader.IsDBNull(i) ? null : Materialize(reader.GetValue(i)))).ToDictionary(p => p.c, p => p.Item2));
        return new WrittenTable(columns, rows);
    }

    /// <summary>BLOBs come as streams over the reader's current chunk: copy them before the reader moves on.</summary>
    private static object Materialize(object value)
    {
        if (value is not Stream stream)
            return value;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => _directory.Dispose();
}
