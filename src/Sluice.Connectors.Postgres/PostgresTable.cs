using Npgsql;
using Sluice.Core.Connectors;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>DDL shared by the Arrow writer and the direct transfer: schemas, staging tables, keys and the atomic swap.</summary>
internal static class PostgresTable
{
    public sealed record Column(string Name, string NativeType);

    public static readonly Column[] MetadataColumns =
    [
        new(WriteContext.ExtractedAtColumn, "timestamptz"),
        new(WriteContext.SyncIdColumn, "bigint"),
    ];

    public static string StagingName(string target, long syncId) => Fit("_sluice_tmp_", target, "_" + syncId);

    public static string PrimaryKeyName(string table) => Fit("", table, "_pkey");

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, so look first: a user may own only its schema.</summary>
    public static async Task EnsureSchemaAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select exists (select 1 from pg_namespace where nspname = @s)", connection);
        command.Parameters.AddWithValue("s", schema);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}", cancellationToken);
    }

    public static string CreateSql(string schema, string table, IEnumerable<Column> columns, bool ifNotExists) =>
        $"CREATE TABLE {(ifNotExists ? "IF NOT EXISTS " : "")}{Qualified(schema, table)} (" +
        string.Join(", ", columns.Select(c => $"{Quote(c.Name)} {c.NativeType}")) + ")";

    /// <summary>Existing columns of a table with their format_type names, or null when the table does not exist.</summary>
    public static async Task<Dictionary<string, string>?> ColumnsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            select a.attname, format_type(a.atttypid, a.atttypmod)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where n.nspname = @s and c.relname = @t
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", schema);
        command.Parameters.AddWithValue("t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Dictionary<string, string>? columns = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            columns ??= new Dictionary<string, string>(StringComparer.Ordinal);
            if (!reader.IsDBNull(0))
                columns[reader.GetString(0)] = reader.GetString(1);
        }
        return columns;
    }

    /// <summary>Built after the load: one sort at the end is much cheaper than maintaining the index row by row.</summary>
    public static Task AddPrimaryKeyAsync(NpgsqlConnection connection, string schema, string staging, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken) =>
        keyColumns.Count == 0
            ? Task.CompletedTask
            : ExecuteAsync(connection, $"ALTER TABLE {Qualified(schema, staging)} ADD CONSTRAINT {Quote(PrimaryKeyName(staging))} PRIMARY KEY ({string.Join(", ", keyColumns.Select(Quote))})", cancellationToken);

    /// <summary>
    /// Replaces the target by the staging table inside the caller's transaction: readers see the old table until the
    /// commit and the new one after it, never an empty one. No CASCADE: dependent views make this fail loudly instead
    /// of disappearing.
    /// </summary>
    public static async Task SwapAsync(NpgsqlConnection connection, string schema, string staging, string target, bool hasKey, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Qualified(schema, target)}", cancellationToken);
        await ExecuteAsync(connection, $"ALTER TABLE {Qualified(schema, staging)} RENAME TO {Quote(target)}", cancellationToken);
        if (hasKey)
            await ExecuteAsync(connection, $"ALTER TABLE {Qualified(schema, target)} RENAME CONSTRAINT {Quote(PrimaryKeyName(staging))} TO {Quote(PrimaryKeyName(target))}", cancellationToken);
    }

    /// <summary>Whether an existing column accepts the binary form Sluice sends for <paramref name="wanted"/>.</summary>
    public static bool BinaryCompatible(string existing, string wanted)
    {
        static string Family(string t) => t switch
        {
            "text" or "name" or "citext" => "text",
            _ when t.StartsWith("character", StringComparison.Ordinal) => "text",
            _ when t.StartsWith("numeric", StringComparison.Ordinal) => "numeric",
            "time" => "time without time zone",
            "timetz" => "time with time zone",
            "timestamp" => "timestamp without time zone",
            "timestamptz" => "timestamp with time zone",
            _ => t,
        };
        return Family(existing) == Family(wanted);
    }
}
