namespace Sluice.Metadata;

/// <summary>
/// The metadata store: every role of Sluice reads and writes its state here. Composed of one store per aggregate;
/// SQLite backs the embedded default, PostgreSQL the distributed mode.
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Dialect { get; }

    IWorkspaceStore Workspaces { get; }
    IActorStore Actors { get; }
    IConnectionStore Connections { get; }
    ISchemaStore Schemas { get; }
    IJobStore Jobs { get; }
    IStateStore State { get; }
    IDagStore Dags { get; }
    IRunStore Runs { get; }
    IPoolStore Pools { get; }
    ILeaseStore Lease { get; }
    IWorkerStore Workers { get; }
    IIdentityStore Identity { get; }
    IAuditStore Audit { get; }

    /// <summary>Applies pending migrations; refuses a database whose schema is newer than this build knows.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version the database is at (0 when empty).</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// For processes that must not migrate by themselves (server, scheduler, worker): throws
    /// <see cref="SchemaVersionException"/> when a newer Sluice migrated the database and
    /// <see cref="SchemaNotMigratedException"/> when migrations of this build are missing.
    /// </summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="received"/> for each notification on <paramref name="channel"/> (see <see cref="StoreChannels"/>)
    /// until cancelled, reconnecting after failures. Returns at once on SQLite, which cannot notify other processes.
    /// </summary>
    Task ListenAsync(string channel, Action<string> received, Action<Exception> failed, CancellationToken cancellationToken);
}
