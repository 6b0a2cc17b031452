using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Catalog;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Splits a read into ranges of an ordered key (the primary key; the cursor then the primary key when incremental)
/// so the source can checkpoint after each range and a failed sync resumes after the last committed one. Each range
/// is found by asking for its last key first (an index walk), then read with one COPY bounded on both sides, so no
/// row is read twice within a sync and none is skipped.
/// </summary>
internal sealed class PostgresKeyRange(string table, IReadOnlyList<string> keys, string baseFilter)
{
    public IReadOnlyList<string> Keys => keys;

    /// <summary>The key to order by, or null when the table has none: the read is then one range that cannot resume.</summary>
    public static IReadOnlyList<string> KeysFor(ConfiguredStream stream, string? cursor)
    {
        var pk = (stream.PrimaryKey.Count > 0 ? stream.PrimaryKey : stream.Stream.PrimaryKey)
            .Where(p => p.Count > 0).Select(p => p[0]).ToList();
        return cursor is null ? pk : [cursor, .. pk.Where(k => k != cursor)];
    }

    /// <summary>The last key of the range of at most <paramref name="rows"/> rows after <paramref name="after"/>; null when the rest fits.</summary>
    public async Task<string?[]?> NextBoundaryAsync(NpgsqlConnection connection, string?[]? after, int rows, CancellationToken cancellationToken)
    {
        // The text forms get their own names: "id"::text keeps the column's name, and ORDER BY "id" would then sort
        // by the text (all remaining rows sorted per range, '10' before '9') instead of walking the key's index.
        var sql = $"SELECT {string.Join(", ", keys.Select((k, i) => $"{Quote(k)}::text AS boundary_{i}"))} FROM {table}{Where(after, null)} " +
                  $"ORDER BY {string.Join(", ", keys.Select(Quote))} OFFSET {rows - 1} LIMIT 1";
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var boundary = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
            boundary[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
        // One more row after the boundary decides whether this is the last range; an exact fit reads an empty last range.
        return boundary;
    }

    /// <summary>The WHERE clause of the range (after, upTo]; either side may be open.</summary>
    public string Where(string?[]? after, string?[]? upTo)
    {
        var parts = new List<string>();
        if (baseFilter.Length > 0)
            parts.Add(baseFilter);
        if (after is not null)
            parts.Add($"({string.Join(", ", keys.Select(Quote))}) > ({string.Join(", ", after.Select(ValueLiteral))})");
        if (upTo is not null)
            parts.Add($"({string.Join(", ", keys.Select(Quote))}) <= ({string.Join(", ", upTo.Select(ValueLiteral))})");
        return parts.Count == 0 ? "" : " WHERE " + string.Join(" AND ", parts);
    }

    private static string ValueLiteral(string? value) => value is null ? "NULL" : Literal(value);

    public static JsonArray ToJson(string?[] key) => new(key.Select(k => (JsonNode?)(k is null ? null : JsonValue.Create(k))).ToArray());

    public static string?[]? FromJson(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.GetValue<string>()).ToArray() : null;
}
