using Npgsql;

namespace Sluice.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server started from the installed binaries (initdb into a temp dir, a free loopback
/// port, wal_level=logical), shared by every test of an assembly and removed when the process exits.
/// Tests get their own database from <see cref="CreateDatabaseAsync"/>, so they do not see each other's tables.
/// </summary>
public sealed class PostgresServer
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    public const string User = "postgres";
    public const string Password = "sluice-test";
    private const string OsUser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;

    private PostgresServer(string dataDir, int port)
    {
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }
    public int Port { get; }
    public string Host => "127.0.0.1";

    /// <summary>The server shared by this test assembly, started on first use.</summary>
    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = User, Password = Password, Database = database, Pooling = true, Timeout = 15 }.ConnectionString;

    /// <summary>Creates a fresh database with a unique name built from <paramref name="prefix"/> and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}_{Interlocked.Increment(ref _databaseCounter)}_{Environment.ProcessId}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task<int> ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the server (fast shutdown), for tests of a destination that goes away mid-sync.</summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast", "-w");

    public Task StartAgainAsync() => PgCtlAsync("start", "-w", "-l", Path.Combine(DataDir, "server.log"), "-o", ServerOptions(Port, DataDir));

    /// <summary>Restarts the server in place; connections are cut and pools must reconnect.</summary>
    public async Task RestartAsync()
    {
        await PgCtlAsync("restart", "-m", "immediate", "-w", "-l", Path.Combine(DataDir, "server.log"), "-o", ServerOptions(Port, DataDir));
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"sluice-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        await ProcessRunner.ChownAsync(root, OsUser);
        var pwFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwFile, Password);
        await ProcessRunner.ChownAsync(pwFile, OsUser);
        await ProcessRunner.RunAsync(Path.Combine(BinDir, "initdb"),
            ["-D", dataDir, "-U", User, "--pwfile", pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], OsUser);
        await File.AppendAllTextAsync(Path.Combine(dataDir, "pg_hba.conf"), "\nhost replication all 127.0.0.1/32 scram-sha-256\n");
        var port = FreePort.Next();
        var server = new PostgresServer(dataDir, port);
        await server.PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(dataDir, "server.log"), "-o", ServerOptions(port, dataDir));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Destroy(root);
        return server;
    }

    private static string ServerOptions(int port, string dataDir) =>
        $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c wal_level=logical -c max_wal_senders=20 -c max_replication_slots=20 " +
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB";

    private Task PgCtlAsync(params string[] args) =>
        ProcessRunner.RunAsync(Path.Combine(BinDir, "pg_ctl"), ["-D", DataDir, .. args], OsUser, TimeSpan.FromSeconds(90));

    private void Destroy(string root)
    {
        try
        {
            PgCtlAsync("stop", "-m", "immediate").Wait(TimeSpan.FromSeconds(20));
        }
        catch (Exception)
        {
            // The server may already be gone; the directory is removed either way.
        }
        try
        {
            Directory.Delete(root, true);
        }
        catch (IOException)
        {
        }
    }
}
