using System.Data.Common;
using Dapper;

namespace Sluice.Metadata.Relational.Migrations;

/// <summary>Brings a database to the newest schema this build knows, one embedded migration at a time.</summary>
/// <param name="migrations">The migrations to apply; the embedded ones of the dialect unless a test brings its own.</param>
internal sealed class Migrator(Database db, IReadOnlyList<Migration>? migrations = null)
{
    private SqlDialect Dialect => db.Dialect;
    private IReadOnlyList<Migration> Migrations => migrations ?? MigrationCatalog.For(Dialect.Name);
    private int Latest => Migrations is [.., var last] ? last.Version : 0;

    public Task<int> VersionAsync(CancellationToken cancellationToken) =>
        db.ReadAsync(async connection => (await AppliedAsync(connection, null, cancellationToken)).DefaultIfEmpty(0).Max(), cancellationToken);

    /// <summary>
    /// Throws unless the database has exactly the migrations this build knows: a newer one means a newer Sluice
    /// migrated it (<see cref="SchemaVersionException"/>), a missing one that nobody ran <c>sluice migrate</c>
    /// (<see cref="SchemaNotMigratedException"/>). For processes that must not migrate on their own.
    /// </summary>
    public Task EnsureCurrentAsync(CancellationToken cancellationToken) =>
        db.ReadAsync(async connection =>
        {
            var applied = await AppliedAsync(connection, null, cancellationToken);
            RefuseUnknown(applied);
            var missing = Migrations.Where(m => !applied.Contains(m.Version)).Select(m => m.Version).ToList();
            if (missing.Count > 0)
                throw new SchemaNotMigratedException(applied.DefaultIfEmpty(0).Max(), Latest, missing);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies every migration not yet recorded, in number order, in one transaction, so a failure leaves the
    /// database as it was; the lock makes a second process wait and then find nothing left to do.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var gate = await Dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await Dialect.OpenAsync(cancellationToken);
        await Dialect.BeginMigrationAsync(connection, cancellationToken);
        try
        {
            await using var transaction = await Dialect.BeginWriteAsync(connection, cancellationToken);
            await Dialect.LockForMigrationAsync(connection, transaction, cancellationToken);
            await connection.ExecuteAsync(Database.Command(Dialect.CreateSchemaVersionTableSql, null, transaction, cancellationToken));
            var applied = await AppliedAsync(connection, transaction, cancellationToken);
            RefuseUnknown(applied);
            foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await connection.ExecuteAsync(Database.Command(migration.Sql, null, transaction, cancellationToken));
                await connection.ExecuteAsync(Database.Command(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @now)",
                    new { version = migration.Version, name = migration.Name, now = db.Now() }, transaction, cancellationToken));
            }
            await Dialect.CheckMigrationAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await Dialect.EndMigrationAsync(connection);
        }
    }

    // A version this build does not ship was applied by another (newer) build: this one would misread the schema.
    private void RefuseUnknown(HashSet<int> applied)
    {
        var known = Migrations.Select(m => m.Version).ToHashSet();
        if (applied.Where(v => !known.Contains(v)).DefaultIfEmpty(0).Max() is var unknown and > 0)
            throw new SchemaVersionException(Math.Max(unknown, applied.Max()), Latest);
    }

    private async Task<HashSet<int>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(Database.Command(Dialect.TableExistsSql, new { name = "schema_version" }, transaction, cancellationToken));
        if (exists == 0)
            return [];
        return (await connection.QueryAsync<int>(Database.Command("SELECT version FROM schema_version", null, transaction, cancellationToken))).ToHashSet();
    }
}
