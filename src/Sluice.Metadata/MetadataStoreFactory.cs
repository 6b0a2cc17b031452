using Sluice.Metadata.Relational;
using Sluice.Metadata.Relational.Migrations;

namespace Sluice.Metadata;

/// <summary>Opens the metadata store named by a CLI flag, an environment variable or a config file.</summary>
public static class MetadataStoreFactory
{
    /// <summary>
    /// Opens (without migrating; call <see cref="IMetadataStore.MigrateAsync"/>) the store at <paramref name="store"/>:
    /// <list type="bullet">
    /// <item>SQLite: a file path, <c>sqlite:PATH</c>, or a connection string such as <c>Data Source=PATH</c>;</item>
    /// <item>PostgreSQL: <c>postgres://user:password@host:port/database?option=value</c> (or <c>postgresql://</c>),
    /// or an Npgsql connection string such as <c>Host=...;Database=...</c>.</item>
    /// </list>
    /// <paramref name="time"/> stamps every created and updated row (the system clock when null).
    /// </summary>
    public static IMetadataStore Open(string store, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        var location = StoreLocation.Parse(store);
        SqlDialect dialect = location.Dialect switch
        {
            StoreLocation.Postgres => new PostgresDialect(location.ConnectionString),
            _ => new SqliteDialect(location.ConnectionString),
        };
        return new RelationalMetadataStore(dialect, time ?? TimeProvider.System);
    }

    /// <summary>The newest schema version this build can migrate <paramref name="dialect"/> (<c>sqlite</c> or <c>postgres</c>) to.</summary>
    public static int LatestSchemaVersion(string dialect) => MigrationCatalog.Latest(dialect);
}
