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
    IIdentityStore Identity { get; }
    IAuditStore Audit { get; }

    /// <summary>Applies pending migrations; refuses a database whose schema is newer than this build knows.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version the database is at (0 when empty).</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);
}
