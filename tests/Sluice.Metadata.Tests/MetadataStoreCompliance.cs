using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Catalog;
using Sluice.Core.Model;
using Sluice.Core.Types;

namespace Sluice.Metadata.Tests;

/// <summary>
/// The behaviour every metadata store must show, run against a real database by each subclass (Wolverine's
/// MessageStoreCompliance is the model). Split by aggregate into MetadataStoreCompliance.*.cs; every test gets a fresh,
/// migrated database and a fake clock.
/// </summary>
public abstract partial class MetadataStoreCompliance : IAsyncLifetime
{
    private readonly List<IMetadataStore> _opened = [];
    private string _location = "";

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero));

    protected IMetadataStore Store { get; private set; } = null!;

    protected abstract string ExpectedDialect { get; }

    /// <summary>Creates an empty database and returns where it is, in a form <see cref="MetadataStoreFactory.Open"/> accepts.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _location = await CreateDatabaseAsync();
        Store = Open(_location);
        await Store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Another store on the test's database, as a second process would open it.</summary>
    protected IMetadataStore OpenAgain() => Open(_location);

    protected IMetadataStore Open(string location)
    {
        var store = MetadataStoreFactory.Open(location, Time);
        _opened.Add(store);
        return store;
    }

    protected static Task<long> CountAsync(IMetadataStore store, string sql) =>
        ((RelationalMetadataStore)store).Db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);

    protected static Task ExecuteAsync(IMetadataStore store, string sql) =>
        ((RelationalMetadataStore)store).Db.ReadAsync(c => c.ExecuteAsync(sql), CancellationToken.None);

    protected DateTimeOffset Now => Time.GetUtcNow();

    protected async Task<Workspace> WorkspaceAsync(string name = "team") => await Store.Workspaces.CreateAsync(name);

    protected Task<Actor> ActorAsync(Guid workspaceId, ActorKind kind, string name, string connector = "postgres") =>
        Store.Actors.CreateAsync(new Actor
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Kind = kind,
            Name = name,
            Connector = connector,
            Config = new JsonObject { ["host"] = "db.internal", ["port"] = 5432, ["password"] = "${env:PGPASSWORD}" },
        });

    protected async Task<Connection> ConnectionAsync(string name = "orders-to-warehouse", Workspace? workspace = null)
    {
        workspace ??= await Store.Workspaces.GetOrCreateDefaultAsync();
        var source = await Store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, "app-db") ?? await ActorAsync(workspace.Id, ActorKind.Source, "app-db");
        var destination = await Store.Actors.FindByNameAsync(workspace.Id, ActorKind.Destination, "warehouse")
            ?? await ActorAsync(workspace.Id, ActorKind.Destination, "warehouse", "duckdb");
        return await Store.Connections.CreateAsync(NewConnection(workspace.Id, name, source.Id, destination.Id));
    }

    protected static Connection NewConnection(Guid workspaceId, string name, Guid sourceId, Guid destinationId) => new()
    {
        Id = Guid.NewGuid(),
        WorkspaceId = workspaceId,
        Name = name,
        SourceId = sourceId,
        DestinationId = destinationId,
        Catalog = Catalog(),
        Schedule = "0 */6 * * *",
        Status = ConnectionStatus.Paused,
        Prefix = "app_",
        DestinationNamespace = "raw",
        SchemaChangePolicy = SchemaChangePolicy.PropagateAll,
    };

    protected static ConfiguredCatalog Catalog(string cursor = "updated_at") => new(
    [
        new ConfiguredStream
        {
            Stream = new StreamSchema
            {
                Descriptor = new StreamDescriptor("orders", "public"),
                Columns = [new ColumnSchema("id", LogicalType.Int64, false, "bigint"), new ColumnSchema("updated_at", LogicalType.TimestampTz), new ColumnSchema("email", LogicalType.String)],
                SupportedSyncModes = [SyncMode.FullRefresh, SyncMode.Incremental],
                PrimaryKey = [["id"]],
                CursorCandidates = ["updated_at"],
            },
            SyncMode = SyncMode.Incremental,
            DestinationSyncMode = DestinationSyncMode.AppendDedup,
            CursorField = [cursor],
            PrimaryKey = [["id"]],
            Mappings = [new ColumnMapping("email", ColumnMappingKind.Hash)],
            DestinationName = "orders_v2",
        },
    ]);

    protected static string Json(ConfiguredCatalog catalog) => Core.Protocol.AirbyteCatalogJson.ToJson(catalog).ToJsonString();
}
