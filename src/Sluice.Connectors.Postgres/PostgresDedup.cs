using Npgsql;
using Sluice.Core.Catalog;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Deduped modes: rows are copied into a temporary table, then merged into the target with INSERT ... ON CONFLICT
/// DO UPDATE, keeping per primary key the row with the highest cursor (the last one read when cursors tie or there
/// is no cursor). The cursor column stays in the table, so a row shows which source version it holds.
/// </summary>
internal sealed class PostgresDedup(string schema, IReadOnlyList<string> keys, string? cursor)
{
    public const string TempTable = "_sluice_dedup";

    public static IReadOnlyList<string> KeysOf(ConfiguredStream stream)
    {
        var keys = (stream.PrimaryKey.Count > 0 ? stream.PrimaryKey : stream.Stream.PrimaryKey).Where(p => p.Count > 0).Select(p => p[0]).ToList();
        return keys.Count > 0 ? keys
            : throw new Core.Connectors.ConfigException($"streams.{stream.Descriptor}.primary_key", $"{stream.DestinationSyncMode.ToProtocol()} needs a primary key", "set primary_key on the stream or use append/overwrite");
    }

    public static async Task CreateTempAsync(NpgsqlConnection connection, IEnumerable<PostgresTable.Column> columns, CancellationToken cancellationToken) =>
        await PostgresTable.ExecuteAsync(connection,
            $"DROP TABLE IF EXISTS pg_temp.{Quote(TempTable)}; CREATE TEMP TABLE {Quote(TempTable)} ({string.Join(", ", columns.Select(c => $"{Quote(c.Name)} {c.NativeType}"))})",
            cancellationToken);

    /// <summary>An existing append target gets its key as a unique index (ON CONFLICT needs one); duplicates already there make this fail loudly.</summary>
    public async Task EnsureUniqueKeyAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await PostgresTable.ExecuteAsync(connection,
            $"CREATE UNIQUE INDEX IF NOT EXISTS {Quote(Fit("", table, "_sluice_key"))} ON {Qualified(schema, table)} ({string.Join(", ", keys.Select(Quote))})",
            cancellationToken);

    public async Task MergeAsync(NpgsqlConnection connection, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", columns.Select(Quote));
        var keyList = string.Join(", ", keys.Select(Quote));
        var order = keyList + (cursor is null ? "" : $", {Quote(cursor)} DESC NULLS LAST") + ", ctid DESC";
        var updates = columns.Where(c => !keys.Contains(c)).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}").ToList();
        var conflict = updates.Count == 0
            ? "DO NOTHING"
            : $"DO UPDATE SET {string.Join(", ", updates)}" +
              (cursor is null ? "" : $" WHERE t.{Quote(cursor)} IS NULL OR t.{Quote(cursor)} <= EXCLUDED.{Quote(cursor)}");
        await PostgresTable.ExecuteAsync(connection,
            $"INSERT INTO {Qualified(schema, table)} AS t ({list}) SELECT DISTINCT ON ({keyList}) {list} FROM pg_temp.{Quote(TempTable)} ORDER BY {order} " +
            $"ON CONFLICT ({keyList}) {conflict}; TRUNCATE pg_temp.{Quote(TempTable)}",
            cancellationToken);
    }
}
