using System.Diagnostics;
using MySqlConnector;

namespace Sluice.Testing;

/// <summary>
/// A throwaway MariaDB server started from the installed binaries (mariadb-install-db into a temp dir, a free
/// loopback port, row-based binary log for CDC), shared by every test of an assembly and removed when the process
/// exits. Tests get their own database from <see cref="CreateDatabaseAsync"/>, so they do not see each other's tables.
/// </summary>
public sealed class MariaDbServer
{
    public const string User = "root";
    public const string Password = "sluice-test";
    private const string OsUser = "mysql";

    private static readonly Lazy<Task<MariaDbServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;

    private readonly Process _process;
    private readonly string _root;

    private MariaDbServer(string root, int port, Process process)
    {
        _root = root;
        Port = port;
        _process = process;
    }

    public int Port { get; }
    public string Host => "127.0.0.1";
    public string Root => _root;
    public string DataDir => Path.Combine(_root, "data");
    public string ErrorLog => Path.Combine(_root, "error.log");

    /// <summary>The server shared by this test assembly, started on first use.</summary>
    public static Task<MariaDbServer> InstanceAsync() => Shared.Value;

    public static string ServerBinary =>
        new[] { "/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/local/bin/mariadbd" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("mariadbd is not installed: run scripts/install-deps.sh");

    public string ConnectionString(string database = "") =>
        new MySqlConnectionStringBuilder
        {
            Server = Host, Port = (uint)Port, UserID = User, Password = Password, Database = database,
            Pooling = true, ConnectionTimeout = 15, AllowLoadLocalInfile = true, SslMode = MySqlSslMode.None,
        }.ConnectionString;

    /// <summary>Creates a fresh utf8mb4 database with a unique name built from <paramref name="prefix"/> and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}_{Interlocked.Increment(ref _databaseCounter)}_{Environment.ProcessId}";
        await ExecuteAsync("", $"create database `{name}` character set utf8mb4 collate utf8mb4_unicode_ci");
        return name;
    }

    public async Task<int> ExecuteAsync(string database, string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A server whose directory names <paramref name="ownerPid"/> as its test host instead of this process: what a
    /// host that died leaves behind, for the test of <see cref="LeftoverServers"/>. Its watchdog still watches this process.
    /// </summary>
    public static Task<MariaDbServer> StartOwnedByAsync(int ownerPid) => StartAsync(ownerPid);

    /// <summary>
    /// Stops and removes the servers of test hosts that died (see <see cref="LeftoverServers"/>): the watchdog normally
    /// does it, but it dies too when the whole process group or container is killed. Returns their directories.
    /// </summary>
    public static Task<IReadOnlyList<string>> ReapLeftoversAsync() =>
        LeftoverServers.ReapAsync(LeftoverServers.MariaDbPrefix, _ => Task.CompletedTask);

    /// <summary>Whether the server process still runs.</summary>
    public bool IsRunning => !_process.HasExited;

    private static async Task<MariaDbServer> StartAsync(int? ownerPid = null)
    {
        var binary = ServerBinary;
        await ReapLeftoversAsync();
        var root = Path.Combine(Path.GetTempPath(), $"{LeftoverServers.MariaDbPrefix}{ownerPid ?? Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        // Until it runs, a server under a fake owner looks like an orphan to a fixture starting concurrently.
        using var starting = LeftoverServers.Protect(root);
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(Path.Combine(root, "binlog"));
        // Each server gets its own tmpdir: mariadbd deletes every "#sql*" file in its tmpdir when it starts, so with a
        // shared /tmp a server starting concurrently removed the temporary tables of another instance's
        // mariadb-install-db ("Could not remove temporary table '/tmp/#sql-temptable-...'" then "Installation of system tables failed").
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        await ProcessRunner.ChownAsync(root, OsUser);
        // --auth-root-authentication-method=normal gives root a (blank) password login over TCP instead of unix_socket
        // auth, which only works for the OS root user; the real password is set right after start.
        string[] install = ["--no-defaults", $"--datadir={dataDir}", $"--tmpdir={Path.Combine(root, "tmp")}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"];
        await ProcessRunner.RunAsync("mariadb-install-db", ProcessRunner.IsRoot ? [.. install, $"--user={OsUser}"] : install, timeout: TimeSpan.FromMinutes(2));
        var port = FreePort.Next();
        var process = Launch(binary, root, port);
        var server = new MariaDbServer(root, port, process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Destroy();
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception e)
        {
            var log = File.Exists(server.ErrorLog) ? await File.ReadAllTextAsync(server.ErrorLog) : "(no error log)";
            server.Destroy();
            throw new InvalidOperationException($"MariaDB did not start on port {port}: {e.Message}\n--- error log ---\n{Tail(log, 4000)}", e);
        }
        return server;
    }

    private static Process Launch(string binary, string root, int port)
    {
        string[] options =
        [
            "--no-defaults", $"--datadir={Path.Combine(root, "data")}", $"--tmpdir={Path.Combine(root, "tmp")}", $"--socket={Path.Combine(root, "mysqld.sock")}",
            $"--pid-file={Path.Combine(root, "mysqld.pid")}", $"--log-error={Path.Combine(root, "error.log")}",
            $"--port={port}", "--bind-address=127.0.0.1", "--skip-name-resolve",
            $"--log-bin={Path.Combine(root, "binlog", "mariadb-bin")}", "--binlog-format=ROW", "--server-id=1", "--binlog-row-image=FULL",
            "--local-infile=1", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--max-connections=300", "--innodb-buffer-pool-size=256M", "--innodb-log-file-size=256M",
            // Throwaway data: durability buys nothing here, speed does.
            "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0", "--innodb-flush-method=nosync", "--sync-binlog=0",
            "--skip-innodb-adaptive-hash-index", "--performance-schema=0",
        ];
        // Started directly (not through runuser) so the Process is the server itself and Kill reaches it;
        // mariadbd drops to --user on its own when started as root.
        var psi = new ProcessStartInfo { FileName = binary, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var o in options)
            psi.ArgumentList.Add(o);
        if (ProcessRunner.IsRoot)
            psi.ArgumentList.Add($"--user={OsUser}");
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {binary}");
        // Drain the pipes so the server never blocks on a full one; its real log goes to --log-error.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        StartWatchdog(process.Id, root);
        return process;
    }

    /// <summary>
    /// ProcessExit does not run when the test host is killed (a timeout, a crash, Ctrl+C on dotnet test), so a detached
    /// shell also watches the host and removes the server and its directory once the host is gone.
    /// </summary>
    private static void StartWatchdog(int serverPid, string root)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {serverPid} 2>/dev/null; do sleep 1; done; " +
            $"kill -9 {serverPid} 2>/dev/null; sleep 1; rm -rf '{root}'";
        // Its stdio are pipes nobody reads, so it never holds on to the test runner's output.
        var psi = new ProcessStartInfo { FileName = "setsid", UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-c", script })
            psi.ArgumentList.Add(a);
        using var watchdog = Process.Start(psi);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        // install-db's root accounts have blank passwords, and root@localhost matches only the unix socket under
        // --skip-name-resolve: give the TCP account (root@127.0.0.1, created if missing) its password through the socket.
        var blank = new MySqlConnectionStringBuilder
        {
            Server = Path.Combine(_root, "mysqld.sock"), ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = User, Password = "", ConnectionTimeout = 2, Pooling = false,
        }.ConnectionString;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"mariadbd exited with code {_process.ExitCode}");
            try
            {
                await using var connection = new MySqlConnection(blank);
                await connection.OpenAsync();
                await using var command = new MySqlCommand(
                    $"create user if not exists 'root'@'127.0.0.1' identified by '{Password}'; " +
                    $"alter user 'root'@'127.0.0.1' identified by '{Password}'; " +
                    "grant all on *.* to 'root'@'127.0.0.1' with grant option; " +
                    $"alter user 'root'@'localhost' identified by '{Password}'", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (MySqlException e)
            {
                last = e;
                // Once the password is set (a retry after a lost reply) the blank login fails: check the real one.
                if (e.ErrorCode == MySqlErrorCode.AccessDenied && await CanLogInAsync())
                    return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"no connection within {timeout.TotalSeconds:0}s: {last?.Message}");
    }

    private async Task<bool> CanLogInAsync()
    {
        try
        {
            await using var connection = new MySqlConnection(ConnectionString());
            await connection.OpenAsync();
            return true;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];

    private void Destroy()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
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
        catch (UnauthorizedAccessException)
        {
        }
    }
}
