using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Catalog;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Splits the full-refresh read of a table without a primary key into ranges of heap pages (ctid ranges, read by TID
/// range scans: PostgreSQL 14 and later), so the source can checkpoint after each range and a failed sync resumes at
/// the next page. A checkpoint is <c>{"from_ctid": "(page,offset)", "relfilenode": n}</c>: every row whose ctid is
/// below that tid was sent. ctids are only meaningful within one physical file of the table: VACUUM FULL, CLUSTER,
/// TRUNCATE and rewriting ALTER TABLEs give it a new relfilenode, and a state taken on another file starts the table
/// again; a rewrite during a read fails the read (the next attempt then starts again).
/// </summary>
internal sealed class PostgresCtidRange
{
    /// <summary>A range never covers more than this, whatever the statistics say about rows per page.</summary>
    public const long MaxRangeBytes = 128L << 20;

    /// <summary>Pages counted to estimate rows per page when the table has no statistics yet.</summary>
    private const long SamplePages = 32;

    private PostgresCtidRange(string table, long oid, long relfilenode, long pagesAtStart, long pagesPerRange)
    {
        Table = table;
        Oid = oid;
        Relfilenode = relfilenode;
        PagesAtStart = pagesAtStart;
        PagesPerRange = pagesPerRange;
    }

    public string Table { get; }
    public long Oid { get; }
    public long Relfilenode { get; }
    /// <summary>The heap's size in pages when the read started: it bounds the last closed range.</summary>
    public long PagesAtStart { get; }
    public long PagesPerRange { get; }

    /// <summary>
    /// The plan for a full refresh of a table without a primary key, or null when ctid ranges do not apply: another
    /// read, a view, a partitioned or foreign table, a materialized view (LOCK TABLE refuses those), or a server
    /// before 14 (without TID range scans every range would scan the whole table).
    /// </summary>
    public static async Task<PostgresCtidRange?> PlanAsync(NpgsqlConnection connection, ConfiguredStream stream, string table, int keyCount,
        int checkpointRows, CancellationToken cancellationToken)
    {
        if (stream.SyncMode != SyncMode.FullRefresh || keyCount > 0 || connection.PostgreSqlVersion.Major < 14)
            return null;
        const string sql = """
            select c.oid::int8, c.relkind::text, c.relfilenode::int8, pg_relation_size(c.oid) / current_setting('block_size')::int8,
                   c.reltuples::float8, c.relpages::int8, current_setting('block_size')::int8
            from pg_class c where c.oid = to_regclass(@t)
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", table);
        long oid, relfilenode, pages, relpages, blockSize;
        double reltuples;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.GetString(1) != "r")
                return null;
            (oid, relfilenode, pages, reltuples, relpages, blockSize) =
                (reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetInt64(5), reader.GetInt64(6));
        }
        var rowsPerPage = reltuples > 0 && relpages > 0 ? reltuples / relpages : await SampleRowsPerPageAsync(connection, table, pages, cancellationToken);
        var pagesPerRange = (long)Math.Clamp(Math.Ceiling(checkpointRows / Math.Max(rowsPerPage, 1)), 1, MaxRangeBytes / blockSize);
        return new PostgresCtidRange(table, oid, relfilenode, pages, pagesPerRange);
    }

    /// <summary>A table never analyzed (reltuples -1): count the rows of its first pages, one cheap TID range scan.</summary>
    private static async Task<double> SampleRowsPerPageAsync(NpgsqlConnection connection, string table, long pages, CancellationToken cancellationToken)
    {
        var sample = Math.Min(pages, SamplePages);
        if (sample == 0)
            return 1;
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE ctid < '({sample},0)'::tid", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) / (double)sample;
    }

    /// <summary>Where a read resumes: the saved tid when the state was taken on this very file, else the table's start.</summary>
    public Tid ResumeFrom(JsonNode? state, bool resumable)
    {
        if (!resumable || state?["from_ctid"] is not JsonValue from || state["relfilenode"] is not JsonValue node
            || !node.TryGetValue<long>(out var saved) || saved != Relfilenode)
            return default;
        return Tid.TryParse(from.GetValue<string>(), out var tid) ? tid : default;
    }

    /// <summary>The end (exclusive) of the range starting at <paramref name="from"/>, or null for the last, open-ended one (which also reads pages added since the start).</summary>
    public Tid? RangeEnd(Tid from)
    {
        var end = from.Page + PagesPerRange;
        return end < PagesAtStart ? new Tid(end, 0) : null;
    }

    public string Where(Tid from, Tid? to)
    {
        var parts = new List<string>();
        if (from != default)
            parts.Add($"ctid >= '{from}'::tid");
        if (to is { } end)
            parts.Add($"ctid < '{end}'::tid");
        return parts.Count == 0 ? "" : " WHERE " + string.Join(" AND ", parts);
    }

    public JsonObject InProgress(Tid from) => new() { ["from_ctid"] = from.ToString(), ["relfilenode"] = Relfilenode };

    /// <summary>
    /// Locks the table for the range about to be read (ACCESS SHARE, what the COPY takes anyway, held to the range's
    /// end) and checks that its file is still the one the read started on: rows of another file would be lost or doubled.
    /// </summary>
    public async Task BeginRangeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"BEGIN; LOCK TABLE {Table} IN ACCESS SHARE MODE; SELECT relfilenode::int8 FROM pg_class WHERE oid = {Oid}", connection);
        var now = await command.ExecuteScalarAsync(cancellationToken);
        if (now is not long node || node != Relfilenode)
            throw new InvalidOperationException($"table {Table} was rewritten while it was read (VACUUM FULL, CLUSTER, TRUNCATE or ALTER TABLE): " +
                                                "its rows moved, so this read cannot go on; the next attempt reads the table from its start");
    }

    public static async Task EndRangeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("COMMIT", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A heap tuple's address: page and line pointer (1-based; offset 0 comes before every row of its page).</summary>
    public readonly record struct Tid(long Page, int Offset) : IComparable<Tid>
    {
        public int CompareTo(Tid other) => Page != other.Page ? Page.CompareTo(other.Page) : Offset.CompareTo(other.Offset);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Page},{Offset})");

        public static bool TryParse(string text, out Tid tid)
        {
            tid = default;
            var parts = text.Trim().TrimStart('(').TrimEnd(')').Split(',');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var page)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || page > uint.MaxValue || offset > ushort.MaxValue)
                return false;
            tid = new Tid(page, offset);
            return true;
        }
    }
}
