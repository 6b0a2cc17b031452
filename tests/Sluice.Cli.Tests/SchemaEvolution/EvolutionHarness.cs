using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Definitions;
using Sluice.Server.Hosting;
using Sluice.Testing;

namespace Sluice.Cli.Tests.SchemaEvolution;

/// <summary>
/// A PostgreSQL source database, a destination of one kind (PostgreSQL, MariaDB, SQLite or DuckDB, all real) and a
/// Sluice data dir with one connection, <c>items</c>, applied from YAML. Syncs run in this process through the
/// same runner `sluice sync` uses; the destination is read back with each database's own client.
/// </summary>
internal sealed class EvolutionHarness : IAsyncDisposable
{
    private EvolutionHarness(PostgresServer pg, string source, string kind, string destination, string dataDir, LocalSluice local)
    {
        Pg = pg;
        SourceDb = source;
        Kind = kind;
        Destination = destination;
        DataDir = dataDir;
        Local = local;
    }

    public PostgresServer Pg { get; }
    public string SourceDb { get; }
    public string Kind { get; }
    /// <summary>The database name (postgres, mysql) or file (sqlite, duckdb).</summary>
    public string Destination { get; }
    public string DataDir { get; }
    public LocalSluice Local { get; }
    public IMetadataStore Store => Local.Get<IMetadataStore>();

    /// <summary>The table the source starts with; <paramref name="streams"/> is the YAML list under the connection's streams.</summary>
    public static async Task<EvolutionHarness> StartAsync(string kind, string policy, string sourceSql, string streams)
    {
        Environment.SetEnvironmentVariable("SLUICE_TEST_PG_PASSWORD", PostgresServer.Password);
        Environment.SetEnvironmentVariable("SLUICE_TEST_MARIA_PASSWORD", MariaDbServer.Password);
        var pg = await PostgresServer.InstanceAsync();
        var source = await pg.CreateDatabaseAsync("evosrc");
        await pg.ExecuteAsync(source, sourceSql);
        var dataDir = SluiceCli.TempDir();
        var (destination, config) = kind switch
        {
            "postgres" => await PostgresDestinationAsync(pg),
            "mysql" => await MariaDestinationAsync(),
            "sqlite" => (Path.Combine(dataDir, "out.sqlite"), $"{{path: {Path.Combine(dataDir, "out.sqlite")}}}"),
            "duckdb" => (Path.Combine(dataDir, "out.duckdb"), $"{{path: {Path.Combine(dataDir, "out.duckdb")}}}"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var local = await LocalSluice.OpenAsync(new SluiceOptions { DataDir = dataDir, CreateDemo = false, RunJobs = false });
        var yaml = $"""
            sources:
              - name: shop
                connector: postgres
                config: {"{"}host: 127.0.0.1, port: {pg.Port}, database: {source}, username: postgres, password: "${"{"}env:SLUICE_TEST_PG_PASSWORD{"}"}", checkpoint_rows: 1000{"}"}
            destinations:
              - name: warehouse
                connector: {kind}
                config: {config}
            connections:
              - name: items
                source: shop
                destination: warehouse
                schema_change_policy: {policy}
                streams:
            {streams}
            """;
        await local.Get<DefinitionApplier>().ApplyYamlAsync(yaml, "defs.yaml", CancellationToken.None);
        return new EvolutionHarness(pg, source, kind, destination, dataDir, local);
    }

    private static async Task<(string, string)> PostgresDestinationAsync(PostgresServer pg)
    {
        var database = await pg.CreateDatabaseAsync("evodst");
        return (database, $"{{host: 127.0.0.1, port: {pg.Port}, database: {database}, username: postgres, password: \"${{env:SLUICE_TEST_PG_PASSWORD}}\", schema: raw}}");
    }

    private static async Task<(string, string)> MariaDestinationAsync()
    {
        var maria = await MariaDbServer.InstanceAsync();
        var database = await maria.CreateDatabaseAsync("evodst");
        return (database, $"{{host: 127.0.0.1, port: {maria.Port}, database: {database}, username: root, password: \"${{env:SLUICE_TEST_MARIA_PASSWORD}}\", ssl_mode: disabled}}");
    }

    public Task SourceAsync(string sql) => Pg.ExecuteAsync(SourceDb, sql);

    public async Task<Connection> ConnectionAsync()
    {
        var workspace = await Store.Workspaces.GetOrCreateDefaultAsync();
        return (await Store.Connections.FindByNameAsync(workspace.Id, "items"))!;
    }

    public async Task<Job> SyncAsync() =>
        await Local.Get<SyncJobRunner>().RunAsync((await ConnectionAsync()).Id, new SyncJobOptions { MaxAttempts = 1 }, null, CancellationToken.None);

    public async Task<IReadOnlyList<SchemaChangeRecord>> ChangesAsync() =>
        (await Store.Schemas.ListChangesAsync((await ConnectionAsync()).Id, 100)).Reverse().ToList();

    /// <summary>A destination query's single value as text (null for SQL NULL). Tables are in the default schema, or raw in PostgreSQL.</summary>
    public async Task<string?> ScalarAsync(string sql)
    {
        switch (Kind)
        {
            case "postgres":
                return (await Pg.ScalarAsync<object>(Destination, sql.Replace("{t}", "raw.", StringComparison.Ordinal)))?.ToString();
            case "mysql":
                return (await (await MariaDbServer.InstanceAsync()).ScalarAsync<object>(Destination, sql.Replace("{t}", "", StringComparison.Ordinal)))?.ToString();
            case "sqlite":
            {
                await using var connection = new SqliteConnection($"Data Source={Destination};Pooling=false");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("{t}", "", StringComparison.Ordinal);
                return (await command.ExecuteScalarAsync()) is { } v and not DBNull ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            default:
            {
                await using var connection = new DuckDBConnection($"Data Source={Destination}");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("{t}", "", StringComparison.Ordinal);
                return (await command.ExecuteScalarAsync()) is { } v and not DBNull ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
        }
    }

    /// <summary>The destination's type name for a column, lower case, as each database reports it.</summary>
    public async Task<string?> ColumnTypeAsync(string table, string column) => (Kind switch
    {
        "postgres" => await ScalarAsync($"select format_type(atttypid, atttypmod) from pg_attribute where attrelid = to_regclass('raw.{table}') and attname = '{column}'"),
        "mysql" => await ScalarAsync($"select DATA_TYPE from information_schema.COLUMNS where TABLE_SCHEMA = database() and TABLE_NAME = '{table}' and COLUMN_NAME = '{column}'"),
        "sqlite" => await ScalarAsync($"select type from pragma_table_info('{table}') where name = '{column}'"),
        _ => await ScalarAsync($"select data_type from information_schema.columns where table_name = '{table}' and column_name = '{column}'"),
    })?.ToLowerInvariant();

    public async ValueTask DisposeAsync() => await Local.DisposeAsync();
}
