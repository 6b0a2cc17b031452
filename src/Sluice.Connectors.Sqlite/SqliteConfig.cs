using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Batches;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Sqlite;

/// <summary>The sqlite connector's settings, read from a config already validated against the spec.</summary>
internal sealed record SqliteConfig(string Path, int BatchSize)
{
    public const int DefaultCheckpointRows = 50_000;

    /// <summary>Source only: rows per key range; a checkpoint follows each range.</summary>
    public int CheckpointRows { get; init; } = DefaultCheckpointRows;

    /// <summary>Source only: a checkpoint follows at least this often while a table is read (<see cref="Sluice.Core.Sources.CheckpointSeconds"/>).</summary>
    public double CheckpointSeconds { get; init; } = Sluice.Core.Sources.CheckpointSeconds.Default;

    public static JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("path"),
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["path"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["description"] = "Path of the database file; a destination creates it when missing",
            },
            ["batch_size"] = new JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 1,
                ["maximum"] = 1_000_000,
                ["default"] = RecordBatchBuilder.DefaultMaxRows,
                ["description"] = "Rows per record batch when reading",
            },
            ["checkpoint_rows"] = new JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 1,
                ["default"] = DefaultCheckpointRows,
                ["description"] = "Source only: rows read per primary-key (or cursor and key) range; a checkpoint follows each range, so a failed sync resumes after the last committed one",
            },
            [Sluice.Core.Sources.CheckpointSeconds.Field] = Sluice.Core.Sources.CheckpointSeconds.Schema(),
        },
    };

    public static SqliteConfig From(JsonObject config) => new(
        System.IO.Path.GetFullPath(config["path"]!.GetValue<string>()),
        config["batch_size"] is { } size ? int.Parse(size.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : RecordBatchBuilder.DefaultMaxRows)
    {
        CheckpointRows = config["checkpoint_rows"] is { } rows ? int.Parse(rows.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : DefaultCheckpointRows,
        CheckpointSeconds = Sluice.Core.Sources.CheckpointSeconds.From(config),
    };

    public bool Exists => File.Exists(Path);

    /// <summary>
    /// Opens the database for reading; a missing file is a config error, not an empty database. A hot journal left by a
    /// writer that died mid-transaction (a killed sync) is rolled back first, as any writable connection would.
    /// </summary>
    public async Task<SqliteConnection> OpenReadOnlyAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
            throw new ConfigException("path", $"database file '{Path}' does not exist", "check the path, or write to it first with the sqlite destination");
        var connection = await OpenAsync(SqliteOpenMode.ReadOnly, cancellationToken);
        try
        {
            await ProbeAsync(connection, cancellationToken);
            return connection;
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ReadOnlyRollback)
        {
            await connection.DisposeAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        // A read-only connection cannot roll the journal back, so every read (and every retry of the sync) failed with
        // "attempt to write a readonly database". The rollback only undoes what the dead writer never committed.
        try
        {
            await using var writable = await OpenAsync(SqliteOpenMode.ReadWrite, cancellationToken);
            await ProbeAsync(writable, cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or ConnectorUnavailableException)
        {
            throw new ConnectorUnavailableException(
                $"SQLite database '{Path}' has a hot journal ('{Path}-journal') from a writer that stopped mid-transaction, and it cannot be rolled back " +
                $"here ({e.Message}); open the database once with write access (for example: sqlite3 '{Path}' 'select 1') to roll it back", e);
        }
        connection = await OpenAsync(SqliteOpenMode.ReadOnly, cancellationToken);
        await ProbeAsync(connection, cancellationToken);
        return connection;
    }

    // SQLITE_READONLY_ROLLBACK: a read-only connection found a hot journal it may not roll back.
    private const int ReadOnlyRollback = 8 | (3 << 8);

    private static async Task ProbeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT count(*) FROM sqlite_master";
        await probe.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<SqliteConnection> OpenReadWriteAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null && !Directory.Exists(directory))
            throw new ConfigException("path", $"directory '{directory}' does not exist", "create it first, or choose another path");
        return await OpenAsync(SqliteOpenMode.ReadWriteCreate, cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = mode, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Another writer (a reader during a sync) waits instead of failing at once.
            using var busy = connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout = 10000";
            await busy.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new ConnectorUnavailableException($"cannot open SQLite database '{Path}': {e.Message}", e);
        }
    }
}
