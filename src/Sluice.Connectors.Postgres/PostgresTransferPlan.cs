using System.Globalization;
using Npgsql;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>What a direct transfer copies: the source's current column types, the destination's columns and the COPY text.</summary>
internal sealed class PostgresTransferPlan
{
    /// <summary>Types created by users or extensions (enums, domains, citext) have oids from here on; the destination may lack them.</summary>
    private const uint FirstNormalObjectId = 16384;

    private readonly string _table;
    private readonly string _selectList;
    private readonly Dictionary<string, string> _renames;

    private PostgresTransferPlan(string table, string selectList, IReadOnlyList<PostgresTable.Column> destinationColumns,
        Dictionary<string, string> renames, long tableBytes, long pages)
    {
        _table = table;
        _selectList = selectList;
        DestinationColumns = destinationColumns;
        _renames = renames;
        TableBytes = tableBytes;
        Pages = pages;
    }

    public IReadOnlyList<PostgresTable.Column> DestinationColumns { get; }
    public long TableBytes { get; }
    public long Pages { get; }

    public static async Task<PostgresTransferPlan> CreateAsync(PostgresConfig config, ConfiguredStream stream, WriteContext context, CancellationToken cancellationToken)
    {
        var descriptor = stream.Descriptor;
        var table = Qualified(descriptor.Namespace ?? "public", descriptor.Name);
        await using var connection = await PostgresErrors.OpenAsync(config, cancellationToken, "sluice-transfer-plan");
        const string sql = """
            select a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid::int8,
                   pg_relation_size(c.oid), pg_relation_size(c.oid) / current_setting('block_size')::int8
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where n.nspname = @s and c.relname = @t
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", descriptor.Namespace ?? "public");
        command.Parameters.AddWithValue("t", descriptor.Name);
        var types = new Dictionary<string, (string Type, bool BuiltIn)>(StringComparer.Ordinal);
        long bytes = 0, pages = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                types[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2) < FirstNormalObjectId);
                (bytes, pages) = (reader.GetInt64(3), reader.GetInt64(4));
            }
        if (types.Count == 0)
            throw new InvalidOperationException($"table {descriptor} does not exist in database '{config.Database}' or has no columns");

        var renames = stream.Mappings.Where(m => m.Kind == ColumnMappingKind.Rename && m.NewName is not null).ToDictionary(m => m.Column, m => m.NewName!);
        var selected = stream.ReadColumns().Select(c => c.Name).ToList();
        var missing = selected.Where(c => !types.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"columns {string.Join(", ", missing)} of {descriptor} no longer exist; discover the source again");
        var metadataNames = PostgresTable.MetadataColumns.Select(m => m.Name).ToHashSet();
        selected.RemoveAll(c => metadataNames.Contains(renames.GetValueOrDefault(c, c)));

        // Binary COPY in needs the exact types the source sends; user-defined types travel as text instead.
        var expressions = selected.Select(c => types[c].BuiltIn ? Quote(c) : Quote(c) + "::text");
        var extractedAt = context.ExtractedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);
        var selectList = string.Join(", ", expressions.Append($"{Literal(extractedAt)}::timestamptz").Append($"{context.SyncId}::bigint"));
        var columns = selected
            .Select(c => new PostgresTable.Column(renames.GetValueOrDefault(c, c), types[c].BuiltIn ? types[c].Type : "text"))
            .Concat(PostgresTable.MetadataColumns).ToList();
        var destinationNames = selected.ToDictionary(c => c, c => renames.GetValueOrDefault(c, c));
        return new PostgresTransferPlan(table, selectList, columns, destinationNames, bytes, pages);
    }

    /// <summary>The destination name of a selected source column, or null when it is not copied.</summary>
    public string? DestinationName(string sourceColumn) => _renames.GetValueOrDefault(sourceColumn);

    public string CopyOut(string filter) => $"COPY (SELECT {_selectList} FROM {_table}{filter}) TO STDOUT (FORMAT BINARY)";

    /// <summary>
    /// CTID filters splitting the heap into <paramref name="count"/> page ranges (TID range scans, PostgreSQL 14+).
    /// The last range is open-ended, so pages added since the size was taken are still read.
    /// </summary>
    public IReadOnlyList<string> Ranges(int count)
    {
        if (Pages < count * 8L)
            return [""];
        var bounds = Enumerable.Range(0, count + 1).Select(i => Pages * i / count).ToArray();
        return Enumerable.Range(0, count).Select(i =>
        {
            var lower = i == 0 ? null : $"ctid >= '({bounds[i]},0)'::tid";
            var upper = i == count - 1 ? null : $"ctid < '({bounds[i + 1]},0)'::tid";
            return " WHERE " + string.Join(" AND ", new[] { lower, upper }.Where(s => s is not null));
        }).ToList();
    }
}
