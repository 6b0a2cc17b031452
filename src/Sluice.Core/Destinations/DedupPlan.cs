using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Core.Destinations;

/// <summary>
/// What a deduped mode keeps per primary key: the row with the highest cursor, the last one read when cursors tie or
/// there is no cursor. The cursor column stays in the table, so a row shows which source version it holds.
/// </summary>
public sealed record DedupPlan(IReadOnlyList<string> Keys, string? Cursor)
{
    /// <summary>The plan of a deduped stream, or null for overwrite and append; a deduped stream without a key is a config error.</summary>
    public static DedupPlan? For(ConfiguredStream stream)
    {
        if (stream.DestinationSyncMode is not (DestinationSyncMode.AppendDedup or DestinationSyncMode.OverwriteDedup))
            return null;
        var keys = (stream.PrimaryKey.Count > 0 ? stream.PrimaryKey : stream.Stream.PrimaryKey).Where(p => p.Count > 0).Select(p => p[0]).ToList();
        if (keys.Count == 0)
            throw new ConfigException($"streams.{stream.Descriptor}.primary_key", $"{stream.DestinationSyncMode.ToProtocol()} needs a primary key",
                "set primary_key on the stream or use append/overwrite");
        return new DedupPlan(keys, stream.CursorField.FirstOrDefault());
    }

    /// <summary>
    /// INSERT ... ON CONFLICT DO UPDATE (SQLite 3.24+, DuckDB, PostgreSQL) merging the rows of <paramref name="buffer"/>
    /// into <paramref name="target"/>: first the latest row per key within the buffer (by cursor, then by
    /// <paramref name="rowOrder"/>, the order rows were written), then an update only where the stored row's cursor is
    /// not newer, so an older version read late never replaces a newer one.
    /// </summary>
    /// <param name="quote">The dialect's identifier quoting.</param>
    /// <param name="target">The quoted (possibly qualified) target table.</param>
    /// <param name="targetReference">How the target's existing row is named inside DO UPDATE ... WHERE.</param>
    public string UpsertSql(Func<string, string> quote, string target, string targetReference, string buffer, IReadOnlyList<string> columns, string rowOrder)
    {
        var list = string.Join(", ", columns.Select(quote));
        var keyList = string.Join(", ", Keys.Select(quote));
        var order = (Cursor is null ? "" : $"{quote(Cursor)} DESC NULLS LAST, ") + rowOrder + " DESC";
        var updates = columns.Where(c => !Keys.Contains(c)).Select(c => $"{quote(c)} = excluded.{quote(c)}").ToList();
        var newer = Cursor is null ? "" : $" WHERE {targetReference}.{quote(Cursor)} IS NULL OR {targetReference}.{quote(Cursor)} <= excluded.{quote(Cursor)}";
        // The WHERE after the subquery also settles SQLite's parsing ambiguity between a join's ON and the upsert's ON CONFLICT.
        return $"INSERT INTO {target} ({list}) SELECT {list} FROM (SELECT {list}, row_number() OVER (PARTITION BY {keyList} ORDER BY {order}) AS _sluice_rn FROM {buffer}) AS latest " +
               $"WHERE _sluice_rn = 1 ON CONFLICT ({keyList}) " +
               (updates.Count == 0 ? "DO NOTHING" : $"DO UPDATE SET {string.Join(", ", updates)}{newer}");
    }
}
