using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Faults.Tests;

public enum DbEngine
{
    Postgres,
    MariaDb,
    /// <summary>A SQLite file (destination only here).</summary>
    Sqlite,
    /// <summary>A DuckDB file (destination only here).</summary>
    DuckDb,
}

/// <summary>
/// One database of a fault scenario, on the shared PostgreSQL or MariaDB test server: the source's <c>items</c> table
/// or the destination holding <c>items</c> and <c>_sluice_state</c>. The digest hashes (id, v, updated_at in
/// microseconds since 1970) in id order, so a PostgreSQL and a MariaDB copy of the same rows hash alike. A SQLite or
/// DuckDB destination is a file in a directory of its own; its name is the file's path.
/// </summary>
internal sealed class ScenarioDatabase(DbEngine engine, string name, PostgresServer? postgres, MariaDbServer? mariaDb)
{
    public DbEngine Engine => engine;
    public string Name => name;
    public PostgresServer Postgres => postgres ?? throw new InvalidOperationException($"{name} is a MariaDB database");

    public static async Task<ScenarioDatabase> CreateAsync(DbEngine engine, string prefix) => engine switch
    {
        DbEngine.Postgres => await PostgresAsync(prefix),
        DbEngine.MariaDb => await MariaDbAsync(prefix),
        _ => File(engine, prefix),
    };

    private bool IsFile => engine is DbEngine.Sqlite or DbEngine.DuckDb;

    private static ScenarioDatabase File(DbEngine engine, string prefix)
    {
        var dir = ScratchFolder.Create("sluice-faults-");
        return new ScenarioDatabase(engine, Path.Combine(dir, prefix + (engine == DbEngine.Sqlite ? ".sqlite" : ".duckdb")), null, null);
    }

    private static async Task<ScenarioDatabase> PostgresAsync(string prefix)
    {
        var server = await PostgresServer.InstanceAsync();
        return new ScenarioDatabase(DbEngine.Postgres, await server.CreateDatabaseAsync(prefix), server, null);
    }

    private static async Task<ScenarioDatabase> MariaDbAsync(string prefix)
    {
        var server = await MariaDbServer.InstanceAsync();
        return new ScenarioDatabase(DbEngine.MariaDb, await server.CreateDatabaseAsync(prefix), null, server);
    }

    /// <summary>The table the scenario syncs: rows share cursor values seven at a time, so range boundaries fall inside runs of equal cursors.</summary>
    /// <param name="keyless">Without a primary key (PostgreSQL only): a full refresh then reads it in ctid ranges.</param>
    public Task CreateItemsAsync(int rows, bool keyless = false) => engine == DbEngine.Postgres
        ? postgres!.ExecuteAsync(name, $"""
            create table items(id bigint{(keyless ? "" : " primary key")}, v text not null, updated_at timestamptz not null);
            insert into items select g, 'row ' || g || repeat('x', 40), '2024-01-01'::timestamptz + (g / 7) * interval '1 second' from generate_series(1, {rows}) g;
            """)
        : mariaDb!.ExecuteAsync(name, $"""
            create table items(id bigint primary key, v text not null, updated_at datetime(6) not null, key (updated_at));
            insert into items select seq, concat('row ', seq, repeat('x', 40)), timestampadd(second, seq div 7, '2024-01-01') from seq_1_to_{rows};
            """);

    /// <summary>The connector block of sluice YAML for this database (a destination writes into schema raw on PostgreSQL).</summary>
    public string ConnectorYaml(int checkpointRows, bool destination, double? checkpointSeconds = null)
    {
        var checkpoints = $"checkpoint_rows: {checkpointRows}" + (checkpointSeconds is { } seconds ? $", checkpoint_seconds: {seconds.ToString(CultureInfo.InvariantCulture)}" : "");
        return IsFile
            ? $"connector: {(engine == DbEngine.Sqlite ? "sqlite" : "duckdb")}\n    config: {{path: {name}, {checkpoints}}}"
            : engine == DbEngine.Postgres
            ? $"connector: postgres\n    config: {{host: 127.0.0.1, port: {postgres!.Port}, database: {name}, username: postgres, password: \"${{env:PG_TEST_PASSWORD}}\", {checkpoints}{(destination ? ", schema: raw" : "")}}}"
            : $"connector: mysql\n    config: {{host: 127.0.0.1, port: {mariaDb!.Port}, database: {name}, username: {MariaDbServer.User}, password: \"${{env:MARIA_TEST_PASSWORD}}\", ssl_mode: disabled, {checkpoints}}}";
    }

    /// <summary>The stream's namespace as this database's source discovers it.</summary>
    public string Namespace => engine == DbEngine.Postgres ? "public" : name;

    public string ItemsTable(bool destination) => engine == DbEngine.Postgres ? (destination ? "raw.items" : "items") : "items";

    private string StateTable => engine == DbEngine.Postgres ? "raw._sluice_state" : "_sluice_state";

    private string Micros => engine switch
    {
        DbEngine.Postgres => "(extract(epoch from updated_at) * 1000000)::bigint",
        DbEngine.MariaDb => "timestampdiff(microsecond, '1970-01-01', updated_at)",
        DbEngine.DuckDb => "epoch_us(updated_at)",
        _ => "updated_at", // text; converted while hashing
    };

    private static long ToMicros(object value) => value switch
    {
        long micros => micros,
        string text => (DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - DateTimeOffset.UnixEpoch).Ticks / 10,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    public async Task<string> DigestAsync(bool destination)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"select id, v, {Micros} from {ItemsTable(destination)} order by id";
        await using var reader = await command.ExecuteReaderAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long count = 0;
        while (await reader.ReadAsync())
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{reader.GetInt64(0)}|{reader.GetString(1)}|{ToMicros(reader.GetValue(2))}\n"));
            count++;
        }
        return $"{count}:{Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }

    public async Task<long> ScalarAsync(string sql)
    {
        if (engine == DbEngine.Postgres)
            return await postgres!.ScalarAsync<long>(name, sql);
        if (engine == DbEngine.MariaDb)
            return await mariaDb!.ScalarAsync<long>(name, sql);
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public async Task<long> DuplicateKeysAsync() =>
        await TableExistsAsync("items") ? await ScalarAsync($"select count(*) - count(distinct id) from {ItemsTable(destination: true)}") : 0;

    /// <summary>Committed states in the destination's _sluice_state with (or without) a range position; 0 before the table exists.</summary>
    public async Task<long> StatesAsync(bool withRange)
    {
        if (!await TableExistsAsync("_sluice_state"))
            return 0;
        // A key range's position, or a ctid range's (a PostgreSQL source table without a primary key).
        var hasRange = engine == DbEngine.Postgres ? "state ? 'after' or state ? 'from_ctid'"
            : "json_extract(state, '$.after') is not null or json_extract(state, '$.from_ctid') is not null";
        return await ScalarAsync($"select count(*) from {StateTable} where {(withRange ? "" : "not ")}({hasRange})");
    }

    /// <summary>Whether the destination table (items or _sluice_state) exists.</summary>
    public async Task<bool> TableExistsAsync(string table)
    {
        if (IsFile && !System.IO.File.Exists(name))
            return false;
        return await ScalarAsync(engine switch
        {
            DbEngine.Postgres => $"select count(*) from pg_tables where schemaname = 'raw' and tablename = '{table}'",
            DbEngine.MariaDb => $"select count(*) from information_schema.TABLES where TABLE_SCHEMA = '{name}' and TABLE_NAME = '{table}'",
            DbEngine.Sqlite => $"select count(*) from sqlite_master where type = 'table' and name = '{table}'",
            _ => $"select count(*) from information_schema.tables where table_schema = 'main' and table_name = '{table}'",
        }) > 0;
    }

    /// <summary>
    /// The primary key (id, the last element of <c>after</c>) of the last committed range; 0 when no range is committed,
    /// and <paramref name="complete"/> when the state is the one a finished sync leaves.
    /// </summary>
    public async Task<long> CommittedKeyAsync(long complete)
    {
        if (await StatesAsync(withRange: false) > 0)
            return complete;
        if (await StatesAsync(withRange: true) == 0)
            return 0;
        return await ScalarAsync(engine switch
        {
            DbEngine.Postgres => "select (state->'after'->>-1)::bigint from raw._sluice_state",
            DbEngine.MariaDb => "select cast(json_unquote(json_extract(state, concat('$.after[', json_length(state, '$.after') - 1, ']'))) as signed) from _sluice_state",
            DbEngine.Sqlite => "select cast(json_extract(state, '$.after[#-1]') as integer) from _sluice_state",
            _ => "select cast(json_extract_string(state, '$.after[-1]') as bigint) from _sluice_state",
        });
    }

    /// <summary>The first key column of the destination's last committed range.</summary>
    public Task<long> CommittedAfterAsync() => ScalarAsync(engine == DbEngine.Postgres
        ? "select (state->'after'->>0)::bigint from raw._sluice_state"
        : "select cast(json_unquote(json_extract(state, '$.after[0]')) as signed) from _sluice_state");

    /// <summary>Drops everything a sync wrote into this destination.</summary>
    public async Task ClearAsync()
    {
        if (IsFile)
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(name)!))
                System.IO.File.Delete(file);
            return;
        }
        if (engine == DbEngine.Postgres)
        {
            await postgres!.ExecuteAsync(name, "drop schema if exists raw cascade");
            return;
        }
        await mariaDb!.ExecuteAsync("", $"drop database `{name}`; create database `{name}` character set utf8mb4 collate utf8mb4_unicode_ci");
    }

    /// <summary>Whether the error is what a poll sees while the sync creates a table.</summary>
    public static bool IsTransient(Exception e) => e is PostgresException or MySqlException;

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = engine switch
        {
            DbEngine.Postgres => new NpgsqlConnection(postgres!.ConnectionString(name)),
            DbEngine.MariaDb => new MySqlConnection(mariaDb!.ConnectionString(name)),
            // Pooling off: a pooled handle would keep the file open (and DuckDB's lock held) while the next sync runs.
            DbEngine.Sqlite => new SqliteConnection($"Data Source={name};Pooling=False"),
            _ => new DuckDBConnection($"Data Source={name}"),
        };
        await connection.OpenAsync();
        return connection;
    }
}
