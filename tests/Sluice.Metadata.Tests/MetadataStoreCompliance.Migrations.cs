using Sluice.Core.Model;
using Sluice.Core.State;
using Sluice.Metadata.Relational.Migrations;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    private int Latest => MetadataStoreFactory.LatestSchemaVersion(ExpectedDialect);

    // How many rows schema_version gets: numbers may have gaps (reserved for work not landed yet), so not Latest.
    private int Shipped => MigrationCatalog.For(ExpectedDialect).Count;

    [Fact]
    public void Dialect_is_reported()
    {
        Assert.Equal(ExpectedDialect, Store.Dialect);
    }

    [Fact]
    public async Task Empty_database_is_at_version_zero_and_migrates_to_the_latest()
    {
        var fresh = Open(await CreateDatabaseAsync());

        Assert.Equal(0, await fresh.SchemaVersionAsync());
        await fresh.MigrateAsync();

        Assert.True(Latest >= 1);
        Assert.Equal(Latest, await fresh.SchemaVersionAsync());
        Assert.Equal(Shipped, await CountAsync(fresh, "SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing_and_keeps_data()
    {
        var workspace = await Store.Workspaces.CreateAsync("kept");

        await Store.MigrateAsync();
        await OpenAgain().MigrateAsync();

        Assert.Equal(Latest, await Store.SchemaVersionAsync());
        Assert.Equal(Shipped, await CountAsync(Store, "SELECT count(*) FROM schema_version"));
        Assert.Equal(workspace, await Store.Workspaces.GetAsync(workspace.Id));
    }

    [Fact]
    public async Task Processes_migrating_the_same_database_at_once_apply_each_migration_once()
    {
        var location = await CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => Open(location)).ToList();
        // Warm every pool first, so that the migrations really start together rather than one connection handshake apart.
        foreach (var store in stores)
            Assert.Equal(0, await store.SchemaVersionAsync());
        using var start = new ManualResetEventSlim();

        var migrations = stores.Select(s => Task.Run(() =>
        {
            start.Wait();
            return s.MigrateAsync();
        })).ToList();
        start.Set();
        await Task.WhenAll(migrations);

        Assert.Equal(Latest, await stores[0].SchemaVersionAsync());
        Assert.Equal(Shipped, await CountAsync(stores[0], "SELECT count(*) FROM schema_version"));
        Assert.NotNull(await stores[1].Workspaces.GetOrCreateDefaultAsync());
    }

    [Fact]
    public async Task Migration_6_puts_existing_dags_and_audit_entries_without_a_workspace_in_a_default_workspace_it_creates_if_needed()
    {
        await Store.Dags.ApplyAsync("old-dag", "name: old-dag\n");
        await Store.Audit.AppendAsync(new Identity.AuditEntry { At = Now, Actor = "admin", Action = "create-source", Status = 201 });
        // Back to the schema an older Sluice left: DAGs without a workspace, and no default workspace at all.
        await ExecuteAsync(Store, ExpectedDialect == "sqlite"
            ? """
              PRAGMA foreign_keys = OFF;
              CREATE TABLE dags_before (name TEXT PRIMARY KEY, paused INTEGER NOT NULL DEFAULT 0, current_version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
              INSERT INTO dags_before SELECT name, paused, current_version, created_at, updated_at FROM dags;
              DROP TABLE dags;
              ALTER TABLE dags_before RENAME TO dags;
              PRAGMA foreign_keys = ON;
              """
            : "ALTER TABLE dags DROP COLUMN workspace_id");
        await ExecuteAsync(Store, "DELETE FROM workspaces WHERE name = 'default'");
        await ExecuteAsync(Store, "DELETE FROM schema_version WHERE version = 6");

        var upgraded = OpenAgain();
        await upgraded.MigrateAsync();

        var workspace = (await upgraded.Workspaces.FindByNameAsync(Workspace.DefaultName))!;
        Assert.Equal(workspace, await upgraded.Workspaces.GetOrCreateDefaultAsync());
        Assert.Equal(workspace.Id, (await upgraded.Dags.GetAsync("old-dag"))!.WorkspaceId);
        Assert.Single(await upgraded.Dags.ListAsync(workspace.Id, 10, null));
        Assert.Contains(await upgraded.Audit.ListAsync(workspace.Id, 10, null), e => e.Action == "create-source" && e.WorkspaceId == workspace.Id);
    }

    [Fact]
    public async Task Migration_10_counts_the_streams_of_connections_stored_before_it()
    {
        var connection = await ConnectionAsync("older");
        // As an older Sluice left it: no stream_count column.
        await ExecuteAsync(Store, "ALTER TABLE connections DROP COLUMN stream_count");
        await ExecuteAsync(Store, "DELETE FROM schema_version WHERE version = 10");

        var upgraded = OpenAgain();
        await upgraded.MigrateAsync();

        Assert.Equal(1, Assert.Single(await upgraded.Connections.ListOverviewsAsync(connection.WorkspaceId, 10, null)).StreamCount);
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused()
    {
        var newer = Latest + 3;
        await ExecuteAsync(Store, $"INSERT INTO schema_version (version, name, applied_at) VALUES ({newer}, 'from_the_future', CURRENT_TIMESTAMP)");
        var workspace = await Store.Workspaces.CreateAsync("untouched");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => OpenAgain().MigrateAsync());

        Assert.Equal($"metadata schema version {newer} is newer than this Sluice build supports ({Latest}); upgrade Sluice", error.Message);
        Assert.Equal(newer, error.DatabaseVersion);
        Assert.Equal(Latest, error.SupportedVersion);
        Assert.Equal(newer, await Store.SchemaVersionAsync());
        Assert.Equal(workspace, await Store.Workspaces.GetAsync(workspace.Id));
    }

    [Fact]
    public async Task A_later_build_applies_only_its_new_migration_and_keeps_the_data()
    {
        var connection = await ConnectionAsync();
        var job = await Store.Jobs.CreateAsync(connection.Id, JobKind.Sync);
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, System.Text.Json.Nodes.JsonValue.Create(1)));
        var next = new Migration(Latest + 1, "add_workspace_notes", "ALTER TABLE workspaces ADD COLUMN notes TEXT");

        await MigrateWithAsync(Store, next);
        await MigrateWithAsync(Store, next);

        Assert.Equal(Latest + 1, await Store.SchemaVersionAsync());
        Assert.Equal(Shipped + 1, await CountAsync(Store, "SELECT count(*) FROM schema_version"));
        Assert.Equal(0, await CountAsync(Store, "SELECT count(notes) FROM workspaces"));
        Assert.NotNull(await Store.Jobs.GetAsync(job.Id));
        Assert.NotNull((await Store.State.GetAsync(connection.Id)).Global);
        var refused = await Assert.ThrowsAsync<SchemaVersionException>(() => OpenAgain().MigrateAsync());
        Assert.Equal(Latest + 1, refused.DatabaseVersion);
    }

    [Fact]
    public async Task A_lower_number_landing_later_is_still_applied_and_processes_refuse_until_it_is()
    {
        // A database that got the newest migration before a lower-numbered one landed in a later build.
        var lower = new Migration(Latest + 2, "landed_second", "CREATE TABLE landed_second (id INTEGER PRIMARY KEY)");
        var higher = new Migration(Latest + 3, "landed_first", "CREATE TABLE landed_first (id INTEGER PRIMARY KEY)");
        var db = ((RelationalMetadataStore)Store).Db;
        await new Migrator(db, [.. MigrationCatalog.For(db.Dialect.Name), higher]).MigrateAsync(CancellationToken.None);

        var later = new Migrator(db, [.. MigrationCatalog.For(db.Dialect.Name), lower, higher]);
        var missing = await Assert.ThrowsAsync<SchemaNotMigratedException>(() => later.EnsureCurrentAsync(CancellationToken.None));
        Assert.Contains($"missing {Latest + 2:D4}); run `sluice migrate --store <url>` first", missing.Message);
        await later.MigrateAsync(CancellationToken.None);
        await later.EnsureCurrentAsync(CancellationToken.None);

        Assert.Equal(0, await CountAsync(Store, "SELECT count(*) FROM landed_second"));
        Assert.Equal(Shipped + 2, await CountAsync(Store, "SELECT count(*) FROM schema_version"));
        await Assert.ThrowsAsync<SchemaVersionException>(() => Store.EnsureSchemaAsync());
    }

    [Fact]
    public async Task Ensure_schema_accepts_a_migrated_store_and_refuses_an_empty_one()
    {
        await Store.EnsureSchemaAsync();
        var empty = Open(await CreateDatabaseAsync());
        var error = await Assert.ThrowsAsync<SchemaNotMigratedException>(() => empty.EnsureSchemaAsync());
        Assert.Equal("the metadata store has no Sluice schema yet (this build needs version " + Latest + "); run `sluice migrate --store <url>` first", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_every_step_of_its_run()
    {
        var good = new Migration(Latest + 1, "good", "CREATE TABLE first_step (id INTEGER PRIMARY KEY)");
        var bad = new Migration(Latest + 2, "bad", "CREATE TABLE second_step (id INTEGER PRIMARY KEY); SELECT * FROM no_such_table");

        await Assert.ThrowsAnyAsync<Exception>(() => MigrateWithAsync(Store, good, bad));

        Assert.Equal(Latest, await Store.SchemaVersionAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => CountAsync(Store, "SELECT count(*) FROM first_step"));
        Assert.NotNull(await Store.Workspaces.GetOrCreateDefaultAsync());
    }

    /// <summary>Migrates as a later build would, one that ships <paramref name="extra"/> after this build's migrations.</summary>
    private protected static Task MigrateWithAsync(IMetadataStore store, params Migration[] extra)
    {
        var db = ((RelationalMetadataStore)store).Db;
        return new Migrator(db, [.. MigrationCatalog.For(db.Dialect.Name), .. extra]).MigrateAsync(CancellationToken.None);
    }
}
