using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Connectors.Postgres;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.Postgres;

/// <summary>A fresh database on the shared test server, with the connector config pointing at it and a read→write driver.</summary>
internal sealed class PostgresTestDb
{
    private static long _syncId = 1000;

    private PostgresTestDb(PostgresServer server, string database)
    {
        Server = server;
        Database = database;
    }

    public PostgresServer Server { get; }
    public string Database { get; }

    public static async Task<PostgresTestDb> CreateAsync(string prefix, string? setupSql = null)
    {
        var server = await PostgresServer.InstanceAsync();
        var db = new PostgresTestDb(server, await server.CreateDatabaseAsync(prefix));
        if (setupSql is not null)
            await db.ExecuteAsync(setupSql);
        return db;
    }

    public JsonObject Config(string? schema = null) => new()
    {
        ["host"] = Server.Host,
        ["port"] = Server.Port,
        ["database"] = Database,
        ["username"] = PostgresServer.User,
        ["password"] = PostgresServer.Password,
        ["ssl_mode"] = "disable",
        ["schema"] = schema ?? "public",
    };

    public Task<int> ExecuteAsync(string sql) => Server.ExecuteAsync(Database, sql);

    public Task<T?> ScalarAsync<T>(string sql) => Server.ScalarAsync<T>(Database, sql);

    /// <summary>Rows as text, one string per row, columns joined with '|': compares values across databases.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetValue(i).ToString())));
        return rows;
    }

    public static WriteContext NewContext() => new(Interlocked.Increment(ref _syncId), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Discovers the source and configures every stream (or the named ones) with the given modes.</summary>
    public async Task<ConfiguredCatalog> CatalogAsync(DestinationSyncMode mode = DestinationSyncMode.Overwrite, string[]? schemas = null, params string[] streams)
    {
        var config = Config();
        if (schemas is not null)
            config["schemas"] = new JsonArray(schemas.Select(s => (JsonNode)s).ToArray());
        var discovered = await new PostgresConnector().DiscoverAsync(config, CancellationToken.None);
        var catalog = ConfiguredCatalog.AllStreams(discovered, mode);
        return streams.Length == 0 ? catalog : new ConfiguredCatalog(catalog.Streams.Where(s => streams.Contains(s.Stream.Name)).ToList());
    }

    /// <summary>Drives read→write the way the engine will: the source's messages straight into the destination.</summary>
    public static async Task<List<Checkpoint>> SyncAsync(PostgresTestDb source, PostgresTestDb destination, ConfiguredCatalog catalog,
        WriteContext? context = null, Func<IAsyncEnumerable<SourceMessage>, IAsyncEnumerable<SourceMessage>>? tap = null, JsonObject? destinationConfig = null)
    {
        var connector = new PostgresConnector();
        var messages = connector.ReadAsync(source.Config(), catalog, SyncState.Empty, CancellationToken.None);
        var checkpoints = new List<Checkpoint>();
        await foreach (var checkpoint in connector.WriteAsync(destinationConfig ?? destination.Config(), catalog, tap is null ? messages : tap(messages), context ?? NewContext(), CancellationToken.None))
            checkpoints.Add(checkpoint);
        return checkpoints;
    }
}
