using System.Text.Json.Nodes;
using Sluice.Core.Model;
using Sluice.Core.State;
using Sluice.Metadata.Relational.Migrations;

namespace Sluice.Metadata.Tests;

/// <summary>The compliance suite on SQLite files in a temporary folder, plus what only SQLite has (pragmas, one writer per process).</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreCompliance
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sluice-metadata-").FullName;

    protected override string ExpectedDialect => "sqlite";

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(Path.Combine(_folder, $"{Guid.NewGuid():N}.db"));

    protected override Task CleanupAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Uses_write_ahead_logging_foreign_keys_and_a_busy_timeout()
    {
        var db = ((RelationalMetadataStore)Store).Db;

        var (journal, foreignKeys, busyTimeout) = await db.ReadAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            var journal = (string)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA foreign_keys";
            var foreignKeys = (long)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA busy_timeout";
            return (journal, foreignKeys, (long)(await command.ExecuteScalarAsync())!);
        }, CancellationToken.None);

        Assert.Equal("wal", journal);
        Assert.Equal(1, foreignKeys);
        Assert.True(busyTimeout >= 1000, $"busy_timeout {busyTimeout}");
    }

    [Fact]
    public async Task Opens_sqlite_prefixed_and_connection_string_locations()
    {
        var path = Path.Combine(_folder, "nested", "dir", "meta.db");

        await using var prefixed = MetadataStoreFactory.Open($"sqlite:{path}", Time);
        await prefixed.MigrateAsync();
        var workspace = await prefixed.Workspaces.CreateAsync("shared");
        await using var connectionString = MetadataStoreFactory.Open($"Data Source={path}", Time);

        Assert.True(File.Exists(path));
        Assert.Equal(workspace, await connectionString.Workspaces.FindByNameAsync("shared"));
    }

    [Fact]
    public async Task Reads_succeed_while_a_hundred_writers_queue()
    {
        var connection = await ConnectionAsync();

        var writes = Enumerable.Range(0, 100).Select(_ => Task.Run(() => Store.Jobs.CreateAsync(connection.Id, JobKind.Sync))).ToList();
        var reads = Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.Connections.GetAsync(connection.Id))).ToList();

        Assert.All(await Task.WhenAll(reads), c => Assert.Equal(connection.Id, c!.Id));
        Assert.Equal(100, (await Task.WhenAll(writes)).Select(j => j.Id).Distinct().Count());
    }

    /// <summary>SQLite's way to change a constraint is to rebuild the table; dropping the old one must not cascade.</summary>
    [Fact]
    public async Task A_migration_that_rebuilds_a_parent_table_keeps_its_children()
    {
        var connection = await ConnectionAsync();
        var job = await Store.Jobs.CreateAsync(connection.Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);
        await Store.State.SaveAsync(connection.Id, new Checkpoint(null, JsonValue.Create(1)));
        var latest = MetadataStoreFactory.LatestSchemaVersion("sqlite");
        var rebuild = new Migration(latest + 1, "rebuild_jobs", """
            CREATE TABLE jobs_new (
                id INTEGER PRIMARY KEY AUTOINCREMENT, connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                kind TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, ended_at TEXT,
                stats TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 0);
            INSERT INTO jobs_new (id, connection_id, kind, status, created_at, started_at, ended_at, stats, error, attempts)
                SELECT id, connection_id, kind, status, created_at, started_at, ended_at, stats, error, attempts FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_new RENAME TO jobs;
            """);

        await MigrateWithAsync(Store, rebuild);

        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM job_attempts"));
        Assert.Equal(1, (await Store.Jobs.GetAsync(job.Id))!.Attempts);
        Assert.Equal(1, await CountAsync(Store, "PRAGMA foreign_keys"));
        await Store.Connections.DeleteAsync(connection.Id);
        Assert.Equal(0, await CountAsync(Store, "SELECT count(*) FROM job_attempts"));
    }

    [Fact]
    public async Task A_migration_that_breaks_foreign_keys_is_rolled_back()
    {
        await Store.Jobs.CreateAsync((await ConnectionAsync()).Id, JobKind.Sync);
        var latest = MetadataStoreFactory.LatestSchemaVersion("sqlite");
        var orphaning = new Migration(latest + 1, "orphan_jobs", "DELETE FROM connections");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateWithAsync(Store, orphaning));

        Assert.Contains("foreign keys", error.Message, StringComparison.Ordinal);
        Assert.Equal(latest, await Store.SchemaVersionAsync());
        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM connections"));
    }
}
