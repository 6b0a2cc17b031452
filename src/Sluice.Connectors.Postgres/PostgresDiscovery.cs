using Npgsql;
using Sluice.Core.Catalog;

namespace Sluice.Connectors.Postgres;

/// <summary>Reads the catalog: tables, partitioned tables, views and materialized views of the configured schemas.</summary>
internal static class PostgresDiscovery
{
    // Partitions are skipped: their parent is the stream. Domains resolve to their base type.
    private const string ColumnsSql = """
        select n.nspname, c.relname, c.relkind::text, c.reltuples::float8,
               a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod),
               bt.typname, bt.typcategory::text, bt.typtype::text,
               case when t.typtype = 'd' then t.typtypmod else a.atttypmod end,
               et.typname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_type t on t.oid = a.atttypid
        join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
        left join pg_type et on et.oid = bt.typelem and bt.typcategory = 'A'
        where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
          and n.nspname = any(@schemas)
          and has_table_privilege(c.oid, 'select')
        order by n.nspname, c.relname, a.attnum
        """;

    private const string PrimaryKeysSql = """
        select n.nspname, c.relname, a.attname
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(i.indkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where i.indisprimary and n.nspname = any(@schemas)
        order by n.nspname, c.relname, k.ord
        """;

    public static async Task<SourceCatalog> DiscoverAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<(string, string), List<string>>();
        await using (var command = new NpgsqlCommand(PrimaryKeysSql, connection))
        {
            command.Parameters.AddWithValue("schemas", schemas.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!keys.TryGetValue(key, out var list))
                    keys[key] = list = [];
                list.Add(reader.GetString(2));
            }
        }

        var tables = new List<(string Schema, string Name, char Kind, double Tuples, List<ColumnSchema> Columns, List<string> Cursors)>();
        await using (var command = new NpgsqlCommand(ColumnsSql, connection))
        {
            command.Parameters.AddWithValue("schemas", schemas.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var schema = reader.GetString(0);
                var name = reader.GetString(1);
                if (tables.Count == 0 || tables[^1].Schema != schema || tables[^1].Name != name)
                    tables.Add((schema, name, reader.GetString(2)[0], reader.GetDouble(3), [], []));
                var type = PostgresTypeMap.FromNative(reader.GetString(7), reader.GetString(8)[0], reader.GetString(9)[0],
                    reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetString(11));
                tables[^1].Columns.Add(new ColumnSchema(reader.GetString(4), type, !reader.GetBoolean(5), reader.GetString(6)));
                if (PostgresTypeMap.IsCursorCandidate(type, reader.GetString(7), reader.GetString(9)[0]))
                    tables[^1].Cursors.Add(reader.GetString(4));
            }
        }

        return new SourceCatalog(tables.Select(t => new StreamSchema
        {
            Descriptor = new StreamDescriptor(t.Name, t.Schema),
            Columns = t.Columns,
            SupportedSyncModes = [SyncMode.FullRefresh, SyncMode.Incremental],
            PrimaryKey = keys.TryGetValue((t.Schema, t.Name), out var pk) ? pk.Select(c => (IReadOnlyList<string>)[c]).ToList() : [],
            CursorCandidates = t.Cursors,
            // reltuples is -1 before the first ANALYZE and meaningless for views.
            EstimatedRows = t.Kind is 'r' or 'p' or 'm' && t.Tuples >= 0 ? (long)t.Tuples : null,
        }).ToList());
    }

    public static async Task<IReadOnlyList<string>> MissingSchemasAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select s from unnest(@schemas) s where not exists (select 1 from pg_namespace where nspname = s)", connection);
        command.Parameters.AddWithValue("schemas", schemas.ToArray());
        var missing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            missing.Add(reader.GetString(0));
        return missing;
    }
}
