using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Conformance;

/// <summary>
/// How to give each built-in connector a config: as a source, a database holding <c>conf_items</c>; as a
/// destination, an empty database plus a way to count the rows of a table written into it.
/// </summary>
internal static class ConformanceTargets
{
    public const string WrittenTable = "conf_write";

    public static readonly string[] Sources = ["sample", "postgres", "mysql", "sqlite", "duckdb", "airbyte"];
    public static readonly string[] Destinations = ["postgres", "mysql", "sqlite", "duckdb", "airbyte"];

    private const string ItemsSql = "CREATE TABLE conf_items (id INTEGER PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2));"
        + "INSERT INTO conf_items VALUES (1, 'a 🐍', 1.50), (2, NULL, NULL), (3, 'c', -2.25);";

    public static async Task<JsonObject> SourceConfigAsync(string name, string dir)
    {
        switch (name)
        {
            case "sample":
                return new JsonObject { ["customers"] = 5, ["products"] = 2, ["orders"] = 5, ["batch_rows"] = 2 };
            case "airbyte":
                return Airbyte(new JsonObject { ["rows"] = 4 });
            case "sqlite":
                var sqlite = Path.Combine(dir, "source.db");
                await using (var c = new SqliteConnection($"Data Source={sqlite};Pooling=false"))
                {
                    await c.OpenAsync();
                    await Execute(c, ItemsSql);
                }
                return new JsonObject { ["path"] = sqlite };
            case "duckdb":
                var duck = Path.Combine(dir, "source.duckdb");
                await using (var c = new DuckDBConnection($"Data Source={duck}"))
                {
                    await c.OpenAsync();
                    await Execute(c, ItemsSql);
                }
                return new JsonObject { ["path"] = duck };
            default:
                var (config, _) = await DestinationConfigAsync(name, dir);
                await ExecuteOnServerAsync(name, config, ItemsSql);
                return config;
        }
    }

    /// <summary>A destination config and a counter of the rows in <see cref="WrittenTable"/> (-1 when the table cannot be read while the writer runs).</summary>
    public static async Task<(JsonObject Config, Func<Task<long>> Count)> DestinationConfigAsync(string name, string dir)
    {
        switch (name)
        {
            case "airbyte":
                var output = Path.Combine(dir, "out.jsonl");
                return (Airbyte(new JsonObject { ["output_path"] = output }), () => Task.FromResult(File.Exists(output) ? (long)File.ReadLines(output).Count() : 0L));
            case "sqlite":
                var sqlite = Path.Combine(dir, "dest.db");
                return (new JsonObject { ["path"] = sqlite }, () => CountAsync(new SqliteConnection($"Data Source={sqlite};Mode=ReadOnly;Pooling=false")));
            case "duckdb":
                var duck = Path.Combine(dir, "dest.duckdb");
                return (new JsonObject { ["path"] = duck }, () => CountCommittedDuckDbAsync(duck));
            case "postgres":
                var pg = await PostgresServer.InstanceAsync();
                var pgDb = await pg.CreateDatabaseAsync("conf");
                return (new JsonObject
                {
                    ["host"] = pg.Host, ["port"] = pg.Port, ["database"] = pgDb, ["username"] = PostgresServer.User,
                    ["password"] = PostgresServer.Password, ["ssl_mode"] = "disable", ["schema"] = "public",
                }, () => CountAsync(new NpgsqlConnection(pg.ConnectionString(pgDb))));
            case "mysql":
                var maria = await MariaDbServer.InstanceAsync();
                var myDb = await maria.CreateDatabaseAsync("conf");
                return (new JsonObject
                {
                    ["host"] = maria.Host, ["port"] = maria.Port, ["database"] = myDb, ["username"] = MariaDbServer.User,
                    ["password"] = MariaDbServer.Password, ["ssl_mode"] = new JsonObject { ["mode"] = "disabled" },
                }, () => CountAsync(new MySqlConnection(maria.ConnectionString(myDb))));
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "not a destination");
        }
    }

    private static JsonObject Airbyte(JsonObject own) => new()
    {
        ["command"] = "python3",
        ["args"] = new JsonArray("-u", RepoPaths.FakeConnector),
        ["config"] = own,
    };

    private static async Task ExecuteOnServerAsync(string name, JsonObject config, string sql)
    {
        var database = config["database"]!.GetValue<string>();
        if (name == "postgres")
            await (await PostgresServer.InstanceAsync()).ExecuteAsync(database, sql);
        else
            await (await MariaDbServer.InstanceAsync()).ExecuteAsync(database, sql);
    }

    private static async Task Execute(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// DuckDB lets one process open a file while it writes, so the count reads a copy of the file and its write-ahead
    /// log: DuckDB logs a transaction when it commits, so the copy holds exactly what was committed. The writer is idle
    /// (waiting for input) when this is called, so the copy is not torn.
    /// </summary>
    private static async Task<long> CountCommittedDuckDbAsync(string path)
    {
        if (!File.Exists(path))
            return 0;
        var copy = Path.Combine(Path.GetDirectoryName(path)!, $"copy-{Guid.NewGuid():N}.duckdb");
        File.Copy(path, copy);
        if (File.Exists(path + ".wal"))
            File.Copy(path + ".wal", copy + ".wal");
        return await CountAsync(new DuckDBConnection($"Data Source={copy}"));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {WrittenTable}";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }
}
