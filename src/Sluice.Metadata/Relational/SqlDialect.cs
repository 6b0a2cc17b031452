using System.Data.Common;
using Dapper;

namespace Sluice.Metadata.Relational;

/// <summary>
/// What differs between the databases behind the metadata store: how to connect, how writers are serialised, how
/// constraint violations are reported, and how migrations are locked. The SQL itself is shared (Quartz's
/// StdAdoDelegate and its thin PostgreSQLDelegate are the model).
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>; also the folder of the dialect's migrations.</summary>
    public abstract string Name { get; }

    /// <summary>An open connection, set up for this store (pragmas and the like).</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An open connection for the task queue's one-statement writes (claim, report): statements of one fixed shape whose
    /// filters are literals, run thousands of times a minute on a busy worker.
    /// </summary>
    public virtual ValueTask<DbConnection> OpenQueueAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>
    /// An open connection for reading only (no transaction, no pragma changes); give it back with
    /// <see cref="ReturnReadAsync"/> when done, or dispose it after a failure.
    /// </summary>
    public virtual ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>Takes back a connection from <see cref="OpenReadAsync"/> once its reads finished cleanly.</summary>
    public virtual ValueTask ReturnReadAsync(DbConnection connection) => connection.DisposeAsync();

    /// <summary>
    /// A command for <paramref name="sql"/> on a connection from <see cref="OpenReadAsync"/>, with no parameters bound.
    /// Where the dialect keeps it prepared across uses (<see cref="OwnsCommands"/>), the caller must not dispose it.
    /// </summary>
    public virtual DbCommand ReadCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>True when <see cref="ReadCommand"/> hands out commands the dialect keeps (and disposes itself).</summary>
    public virtual bool OwnsCommands => false;

    /// <summary>
    /// Where the database tells cheaply whether anything changed since a connection's last read: the results kept on that
    /// read connection and its current change stamp. Null (never reuse a result) where it cannot tell.
    /// </summary>
    public virtual ValueTask<(ReadReuse Reuse, (long, long) Stamp)?> ReadReuseAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<(ReadReuse, (long, long))?>(null);

    /// <summary>Held around every write transaction; disposing it lets the next writer in.</summary>
    public abstract ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken);

    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract bool IsUniqueViolation(DbException exception);

    public abstract bool IsForeignKeyViolation(DbException exception);

    /// <summary>
    /// The parameter value for a JSON column. Typed as Dapper's custom parameter (not object) because Dapper only
    /// hands a property to <see cref="SqlMapper.ICustomQueryParameter.AddParameter"/> when its declared type says so.
    /// </summary>
    public abstract SqlMapper.ICustomQueryParameter Json(string text);

    /// <summary>SQL answering 1 when the table named by <c>@name</c> exists, else 0.</summary>
    public abstract string TableExistsSql { get; }

    /// <summary>DDL of the table that records applied migrations; it exists before any migration runs.</summary>
    public abstract string CreateSchemaVersionTableSql { get; }

    /// <summary>Keeps other processes from migrating the same database until <paramref name="transaction"/> ends.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Prepares <paramref name="connection"/> for migrating, before its transaction begins.</summary>
    public virtual Task BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks the migrated schema inside the transaction, before it commits; throws to roll it back.</summary>
    public virtual Task CheckMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Undoes <see cref="BeginMigrationAsync"/>, whatever happened: the connection goes back to the pool.</summary>
    public virtual Task EndMigrationAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>
    /// The locking clause that makes a read of the lease row wait for (and hold off) a scheduler taking the lease over,
    /// so a fenced write commits entirely before or entirely after a change of holder. Empty where writers are serial.
    /// </summary>
    public virtual string ShareLock => "";

    /// <summary>
    /// Sends <paramref name="payload"/> on <paramref name="channel"/> when <paramref name="transaction"/> commits, to
    /// every process listening (PostgreSQL NOTIFY); nothing where other processes cannot be told.
    /// </summary>
    public virtual Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, string payload, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Calls <paramref name="received"/> with the payload of every notification on <paramref name="channel"/> until
    /// cancelled, reconnecting after failures (reported to <paramref name="failed"/>). Returns at once where the
    /// database has no notifications; callers poll anyway.
    /// </summary>
    public virtual Task ListenAsync(string channel, Action<string> received, Action<Exception> failed, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    /// <summary>A no-op write gate, for databases that coordinate writers themselves.</summary>
    protected sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }
}
