using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Sluice.Metadata.Relational;

/// <summary>PostgreSQL: the server coordinates concurrent writers (row locks, constraints), so there is no gate.</summary>
internal sealed class PostgresDialect(string connectionString) : SqlDialect
{
    // Any fixed bigint works; it only has to be the same in every Sluice process sharing the database.
    private const long MigrationLockKey = 0x51_75_69_63_65_4D_44;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(WithIdleTransactionLimit(connectionString));

    // The queue's statements on their own pool, planned once per connection. With the default plan_cache_mode
    // PostgreSQL kept re-planning about half of the claim+report executions (a custom plan for the unnest arrays; 0.3-0.4
    // ms of planning, more than the rest of the statement's server time), about 13% of the server's CPU under a full
    // queue. Their generic plan is the one wanted anyway: every state filter is a literal, so the partial indexes on
    // queued and running tasks apply. Other store queries keep the default: some compare parameters against columns
    // whose partial indexes only a custom plan can use.
    private readonly NpgsqlDataSource _queueSource = NpgsqlDataSource.Create(WithGenericPlans(WithIdleTransactionLimit(connectionString)));

    public override string Name => "postgres";

    // A process frozen (SIGSTOP, a stalled VM) inside a transaction would hold its row locks for as long as it is
    // frozen: the scheduler lease row would block every standby, a claimed task row the scheduler's zombie check.
    // Metadata transactions are a few statements with no waiting in between, so the server may end one left idle.
    private static string WithIdleTransactionLimit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout=3000".Trim();
        // The store sets no session state (no SET, no LISTEN on pooled connections, transaction-scoped advisory locks),
        // so the pool's DISCARD ALL on every reuse was pure cost: about one per claimed task on a busy worker.
        builder.NoResetOnClose = true;
        // The hot statements (a worker's claim, report and heartbeat, the scheduler's reads) are the same text every
        // time: prepared once per physical connection, PostgreSQL skips parsing them on each call (and planning them,
        // once it settles on a generic plan; the queue's pool below forces that).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    private static string WithGenericPlans(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c plan_cache_mode=force_generic_plan".Trim();
        return builder.ConnectionString;
    }

    public override string TableExistsSql => "SELECT CASE WHEN to_regclass(@name) IS NULL THEN 0 ELSE 1 END";

    public override string CreateSchemaVersionTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)";

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbConnection> OpenQueueAsync(CancellationToken cancellationToken) =>
        await _queueSource.OpenConnectionAsync(cancellationToken);

    public override ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(NoGate.Instance);

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    public override bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsForeignKeyViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public override SqlMapper.ICustomQueryParameter Json(string text) => new JsonbParameter(text);

    // Transaction-scoped, so it is released by the commit or rollback whatever happens to this process.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));

    public override string ShareLock => " FOR SHARE";

    public override Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, string payload, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)", new { channel, payload }, transaction, cancellationToken: cancellationToken));

    public override Task ListenAsync(string channel, Action<string> received, Action<Exception> failed, CancellationToken cancellationToken) =>
        new PostgresListener(connectionString, channel, received, failed).RunAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _queueSource.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    /// <summary>A text parameter typed jsonb: PostgreSQL has no implicit cast from text.</summary>
    private sealed class JsonbParameter(string text) : SqlMapper.ICustomQueryParameter
    {
        public void AddParameter(IDbCommand command, string name)
        {
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = text });
        }
    }
}
