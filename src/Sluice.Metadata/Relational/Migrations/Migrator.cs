using System.Data.Common;
using Dapper;

namespace Sluice.Metadata.Relational.Migrations;

/// <summary>Brings a database to the newest schema this build knows, one embedded migration at a time.</summary>
/// <param name="migrations">The migrations to apply; the embedded ones of the dialect unless a test brings its own.</param>
internal sealed class Migrator(Database db, IReadOnlyList<Migration>? migrations = null)
{
    private SqlDialect Dialect => db.Dialect;
    private IReadOnlyList<Migration> Migrations => migrations ?? MigrationCatalog.For(Dialect.Name);

    public Task<int> VersionAsync(CancellationToken cancellationToken) =>
        db.ReadAsync(connection => VersionAsync(connection, null, cancellationToken), cancellationToken);

    /// <summary>
    /// Applies every pending migration in one transaction, so a failure leaves the database as it was; the lock makes
    /// a second process wait and then find nothing left to do.
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
            var current = await VersionAsync(connection, transaction, cancellationToken);
            var latest = Migrations is [.., var last] ? last.Version : 0;
            if (current > latest)
                throw new SchemaVersionException(current, latest);
            foreach (var migration in Migrations.Where(m => m.Version > current))
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

    private async Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(Database.Command(Dialect.TableExistsSql, new { name = "schema_version" }, transaction, cancellationToken));
        if (exists == 0)
            return 0;
        return await connection.ExecuteScalarAsync<int?>(Database.Command("SELECT MAX(version) FROM schema_version", null, transaction, cancellationToken)) ?? 0;
    }
}
