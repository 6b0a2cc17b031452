using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Sluice.Metadata.Relational;

/// <summary>
/// SQLite: one writer per process (a gate around every write transaction, as SQLite allows one writer anyway and
/// queuing in-process beats spinning on SQLITE_BUSY), readers alongside it thanks to WAL, busy_timeout for writers
/// of other processes.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _journalLock = new();
    // Native connections the pragmas below were set on: a pooled connection keeps them, so each is set once, not per open
    // (on the API's hot path that was an extra statement for every request).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();
    private Task? _journal;
    // Open read connections kept between reads: opening one from Microsoft.Data.Sqlite's pool and closing it again took a
    // contended lock on every read and finalized its prepared statements. Bounded, so an idle store holds few handles.
    private const int MaxIdleReaders = 8;
    private readonly System.Collections.Concurrent.ConcurrentQueue<SqliteConnection> _idleReaders = new();
    private int _idleReaderCount;
    private int _disposed;
    // Commands prepared on a kept read connection, by SQL text: SQLite then skips parsing and planning the statement.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Dictionary<string, SqliteCommand>> _prepared = new();
    // Results read on a kept read connection, reused while nothing changed (see ReadReuse).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, ReadReuse> _reuse = new();

    public SqliteDialect(string connectionString)
    {
        _connectionString = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public override string Name => "sqlite";

    public override string TableExistsSql => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

    public override string CreateSchemaVersionTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await JournalAsync().WaitAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    public override async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        if (_idleReaders.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleReaderCount);
            return idle;
        }
        return await OpenAsync(cancellationToken);
    }

    public override ValueTask ReturnReadAsync(DbConnection connection)
    {
        if (Volatile.Read(ref _disposed) == 0 && connection is SqliteConnection { State: ConnectionState.Open } sqlite
            && Interlocked.Increment(ref _idleReaderCount) <= MaxIdleReaders)
        {
            _idleReaders.Enqueue(sqlite);
            // A store disposed meanwhile must not keep the file open through this connection.
            if (Volatile.Read(ref _disposed) != 0)
                CloseIdleReaders();
            return ValueTask.CompletedTask;
        }
        if (connection is SqliteConnection)
            Interlocked.Decrement(ref _idleReaderCount);
        return DisposeReader(connection);
    }

    public override DbCommand ReadCommand(DbConnection connection, string sql)
    {
        var commands = _prepared.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = ((SqliteConnection)connection).CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }
        command.Parameters.Clear();
        return command;
    }

    public override bool OwnsCommands => true;

    // data_version moves when another connection (of any process) commits; total_changes() when this connection writes.
    private const string ChangeStampSql = "SELECT data_version, total_changes() FROM pragma_data_version";

    public override async ValueTask<(ReadReuse Reuse, (long, long) Stamp)?> ReadReuseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var command = ReadCommand(connection, ChangeStampSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return (_reuse.GetOrCreateValue(connection), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    public override async ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Release(_writer);
    }

    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and writes later can fail
    // with SQLITE_BUSY (no retry possible) when another process wrote in between.
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey };

    public override SqlMapper.ICustomQueryParameter Json(string text) => new TextParameter(text);

    // BEGIN IMMEDIATE already holds the database's single write lock, across processes too.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // SQLite changes a table's constraints by rebuilding it, and with foreign keys on, dropping the old table runs an
    // implicit DELETE that would cascade to jobs and state. So migrations run with foreign keys off (which can only be
    // switched outside a transaction) and are checked before commit, as https://sqlite.org/lang_altertable.html advises.
    public override Task BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = OFF", cancellationToken: cancellationToken));

    public override async Task CheckMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var broken = (await connection.QueryAsync(new CommandDefinition("PRAGMA foreign_key_check", null, transaction, cancellationToken: cancellationToken))).Count();
        if (broken > 0)
            throw new InvalidOperationException($"the migration left {broken} rows whose foreign keys point nowhere; it was rolled back");
    }

    public override Task EndMigrationAsync(DbConnection connection) => connection.ExecuteAsync("PRAGMA foreign_keys = ON");

    public override ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, 1);
        CloseIdleReaders();
        // Pooled handles keep the file (and its -wal, -shm) open; a closed store must let go of it.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private void CloseIdleReaders()
    {
        while (_idleReaders.TryDequeue(out var idle))
            DisposeReader(idle).AsTask().GetAwaiter().GetResult();
    }

    private ValueTask DisposeReader(DbConnection connection)
    {
        if (_prepared.TryGetValue(connection, out var commands))
        {
            foreach (var command in commands.Values)
                command.Dispose();
            _prepared.Remove(connection);
        }
        _reuse.Remove(connection);
        return connection.DisposeAsync();
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection.Handle is { } handle && _configured.TryGetValue(handle, out _))
                return connection;
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            if (connection.Handle is { } configured)
                _configured.AddOrUpdate(configured, this);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The journal mode is a property of the database file, so setting it once per store is enough; a failure (the
    // file locked by another process for longer than busy_timeout) is retried by the next caller instead of sticking.
    private Task JournalAsync()
    {
        lock (_journalLock)
        {
            if (_journal is null || _journal.IsFaulted || _journal.IsCanceled)
                _journal = UseWriteAheadLogAsync();
            return _journal;
        }
    }

    private async Task UseWriteAheadLogAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        await command.ExecuteScalarAsync();
    }

    private sealed class TextParameter(string text) : SqlMapper.ICustomQueryParameter
    {
        public void AddParameter(IDbCommand command, string name) => command.Parameters.Add(new SqliteParameter(name, SqliteType.Text) { Value = text });
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
