using System.Text.Json.Nodes;
using Sluice.Connectors.DuckDb;
using Sluice.Connectors.Files;
using Sluice.Connectors.MySql;
using Sluice.Connectors.Postgres;
using Sluice.Connectors.Sqlite;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Connectors;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.Matrix;

/// <summary>One connector of the round-trip matrix: makes a fresh, empty place to write to, and reads a stream back from it.</summary>
public sealed record MatrixEndpoint(string Name, bool HoldsNaN)
{
    public static readonly MatrixEndpoint[] All =
    [
        new("postgres", HoldsNaN: true),
        new("mysql", HoldsNaN: false),
        new("sqlite", HoldsNaN: false),
        new("duckdb", HoldsNaN: true),
        new("parquet", HoldsNaN: true),
    ];

    public object Connector => Name switch
    {
        "postgres" => new PostgresConnector(),
        "mysql" => new MySqlDatabaseConnector(),
        "sqlite" => new SqliteConnector(),
        "duckdb" => new DuckDbConnector(),
        _ => new FileConnector(),
    };

    public IDestination Destination => (IDestination)Connector;
    public ISource Source => (ISource)Connector;

    /// <summary>A config pointing at a fresh, empty database or folder.</summary>
    public async Task<JsonObject> FreshAsync(TempDirectory temp)
    {
        switch (Name)
        {
            case "postgres":
                var pg = await PostgresServer.InstanceAsync();
                return new JsonObject
                {
                    ["host"] = pg.Host, ["port"] = pg.Port, ["database"] = await pg.CreateDatabaseAsync("matrix"),
                    ["username"] = PostgresServer.User, ["password"] = PostgresServer.Password, ["ssl_mode"] = "disable", ["schema"] = "public",
                };
            case "mysql":
                var maria = await MariaDbServer.InstanceAsync();
                return new JsonObject
                {
                    ["host"] = maria.Host, ["port"] = maria.Port, ["database"] = await maria.CreateDatabaseAsync("matrix"),
                    ["username"] = MariaDbServer.User, ["password"] = MariaDbServer.Password, ["ssl_mode"] = new JsonObject { ["mode"] = "disabled" },
                };
            case "sqlite":
                return new JsonObject { ["path"] = temp.Combine($"{Guid.NewGuid():N}.db") };
            case "duckdb":
                return new JsonObject { ["path"] = temp.Combine($"{Guid.NewGuid():N}.duckdb") };
            default:
                var root = temp.Combine($"files-{Guid.NewGuid():N}");
                Directory.CreateDirectory(root);
                return new JsonObject { ["root"] = root, ["path"] = "out", ["format"] = "parquet" };
        }
    }

    /// <summary>The source config that reads <paramref name="stream"/> where the destination config wrote it.</summary>
    public JsonObject SourceConfig(JsonObject written, string stream)
    {
        if (Name != "parquet")
            return written;
        return new JsonObject { ["root"] = written["root"]!.DeepClone(), ["path"] = $"out/{stream}", ["format"] = "parquet", ["stream_name"] = stream };
    }

    public override string ToString() => Name;
}
