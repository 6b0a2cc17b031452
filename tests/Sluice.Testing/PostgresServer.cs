using Npgsql;

namespace Sluice.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server started from the installed binaries (initdb into a temp dir, a free loopback
/// port, wal_level=logical), shared by every test of an assembly and removed when the process exits.
/// Tests get their own database from <see cref="CreateDatabaseAsync"/>, so they do not see each other's tables.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    public const string User = "postgres";
    public const string Password = "sluice-test";
    private const string OsUser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;
    private int _destroyed;

    private readonly string _root;
    private readonly string _listenAddresses;

    private PostgresServer(string root, string dataDir, int port, string listenAddresses)
    {
        _root = root;
        DataDir = dataDir;
        Port = port;
        _listenAddresses = listenAddresses;
    }

    public string Root => _root;
    public string DataDir { get; }
    public int Port { get; }
    public string Host => "127.0.0.1";

    /// <summary>The server shared by this test assembly, started on first use.</summary>
    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    /// <summary>
    /// A server of its own (not shared) that also listens on <paramref name="extraAddresses"/> and lets clients from
    /// <paramref name="clientSubnets"/> (CIDR) log in with the password: for processes in network namespaces, which
    /// cannot reach the host's loopback. The addresses must exist when it starts. Removed on <see cref="DisposeAsync"/>
    /// or when the process exits.
    /// </summary>
    public static Task<PostgresServer> StartDedicatedAsync(IReadOnlyCollection<string> extraAddresses, IReadOnlyCollection<string> clientSubnets) =>
        StartAsync(extraAddresses, clientSubnets);

    /// <summary>
    /// A server whose directory names <paramref name="ownerPid"/> as its test host instead of this process: what a
    /// host that died leaves behind, for the test of <see cref="LeftoverServers"/>.
    /// </summary>
    public static Task<PostgresServer> StartOwnedByAsync(int ownerPid) => StartAsync(ownerPid: ownerPid);

    /// <summary>A <c>postgres://</c> URL as the sluice processes take it, for a client that reaches the server at <paramref name="host"/>.</summary>
    public string Url(string database, string? host = null) =>
        $"postgres://{User}:{Uri.EscapeDataString(Password)}@{host ?? Host}:{Port}/{database}";

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

    public Task StartAgainAsync() => PgCtlAsync("start", "-w", "-l", Path.Combine(DataDir, "server.log"), "-o", ServerOptions(Port, DataDir, _listenAddresses));

    /// <summary>Restarts the server in place; connections are cut and pools must reconnect.</summary>
    public async Task RestartAsync()
    {
        await PgCtlAsync("restart", "-m", "immediate", "-w", "-l", Path.Combine(DataDir, "server.log"), "-o", ServerOptions(Port, DataDir, _listenAddresses));
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<PostgresServer> StartAsync(IReadOnlyCollection<string>? extraAddresses = null, IReadOnlyCollection<string>? clientSubnets = null, int? ownerPid = null)
    {
        await ReapLeftoversAsync();
        var root = Path.Combine(Path.GetTempPath(), $"{LeftoverServers.PostgresPrefix}{ownerPid ?? Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        // Until it runs, a server under a fake owner looks like an orphan to a fixture starting concurrently.
        using var starting = LeftoverServers.Protect(root);
        var dataDir = Path.Combine(root, "data");
        await ProcessRunner.ChownAsync(root, OsUser);
        var pwFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwFile, Password);
        await ProcessRunner.ChownAsync(pwFile, OsUser);
        await ProcessRunner.RunAsync(Path.Combine(BinDir, "initdb"),
            ["-D", dataDir, "-U", User, "--pwfile", pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], OsUser);
        var hba = "\nhost replication all 127.0.0.1/32 scram-sha-256\n" +
            string.Concat((clientSubnets ?? []).Select(subnet => $"host all all {subnet} scram-sha-256\n"));
        await File.AppendAllTextAsync(Path.Combine(dataDir, "pg_hba.conf"), hba);
        var port = FreePort.Next();
        var listen = string.Join(',', new[] { "127.0.0.1" }.Concat(extraAddresses ?? []));
        var server = new PostgresServer(root, dataDir, port, listen);
        await server.PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(dataDir, "server.log"), "-o", ServerOptions(port, dataDir, listen));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Destroy();
        return server;
    }

    /// <summary>Stops and removes the servers of test hosts that died (see <see cref="LeftoverServers"/>); returns their directories.</summary>
    public static Task<IReadOnlyList<string>> ReapLeftoversAsync() =>
        LeftoverServers.ReapAsync(LeftoverServers.PostgresPrefix, root =>
            ProcessRunner.RunAsync(Path.Combine(BinDir, "pg_ctl"), ["-D", Path.Combine(root, "data"), "stop", "-m", "immediate", "-w"], OsUser, TimeSpan.FromSeconds(30)));

    /// <summary>Stops and removes a server from <see cref="StartDedicatedAsync"/> (the shared one lives until the process exits).</summary>
    public ValueTask DisposeAsync()
    {
        Destroy();
        return ValueTask.CompletedTask;
    }

    private static string ServerOptions(int port, string dataDir, string listen) =>
        $"-p {port} -k {dataDir} -c listen_addresses={listen} -c wal_level=logical -c max_wal_senders=20 -c max_replication_slots=20 " +
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB";

    private Task PgCtlAsync(params string[] args) =>
        ProcessRunner.RunAsync(Path.Combine(BinDir, "pg_ctl"), ["-D", DataDir, .. args], OsUser, TimeSpan.FromSeconds(90));

    private void Destroy()
    {
        if (Interlocked.Exchange(ref _destroyed, 1) == 1)
            return;
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
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
        }
    }
}
