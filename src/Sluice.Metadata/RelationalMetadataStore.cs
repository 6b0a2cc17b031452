using Sluice.Metadata.Relational;
using Sluice.Metadata.Relational.Migrations;

namespace Sluice.Metadata;

/// <summary>The metadata store over a relational database; everything dialect-specific sits in its <see cref="SqlDialect"/>.</summary>
internal sealed class RelationalMetadataStore : IMetadataStore
{
    private readonly Migrator _migrator;

    public RelationalMetadataStore(SqlDialect dialect, TimeProvider time)
    {
        Db = new Database(dialect, time);
        _migrator = new Migrator(Db);
        Workspaces = new WorkspaceStore(Db);
        Actors = new ActorStore(Db);
        var connections = new ConnectionStore(Db);
        Connections = connections;
        Schemas = new SchemaStore(Db, connections);
        Jobs = new JobStore(Db);
        State = new StateStore(Db);
        Dags = new DagStore(Db);
        Runs = new RunStore(Db);
        Pools = new PoolStore(Db);
        Lease = new LeaseStore(Db);
        Workers = new WorkerStore(Db);
        Identity = new IdentityStore(Db);
        Audit = new AuditStore(Db);
    }

    public string Dialect => Db.Dialect.Name;
    public IWorkspaceStore Workspaces { get; }
    public IActorStore Actors { get; }
    public IConnectionStore Connections { get; }
    public ISchemaStore Schemas { get; }
    public IJobStore Jobs { get; }
    public IStateStore State { get; }
    public IDagStore Dags { get; }
    public IRunStore Runs { get; }
    public IPoolStore Pools { get; }
    public ILeaseStore Lease { get; }
    public IWorkerStore Workers { get; }
    public IIdentityStore Identity { get; }
    public IAuditStore Audit { get; }

    internal Database Db { get; }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migrator.MigrateAsync(cancellationToken);

    public Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default) => _migrator.VersionAsync(cancellationToken);

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => _migrator.EnsureCurrentAsync(cancellationToken);

    public Task ListenAsync(string channel, Action<string> received, Action<Exception> failed, CancellationToken cancellationToken) =>
        Db.Dialect.ListenAsync(channel, received, failed, cancellationToken);

    public ValueTask DisposeAsync() => Db.Dialect.DisposeAsync();
}
