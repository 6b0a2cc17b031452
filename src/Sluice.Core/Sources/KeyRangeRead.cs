using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Core.Sources;

/// <summary>
/// What one read of a SQL table covers and how its checkpoints look, shared by the SQL sources (the PostgreSQL
/// source follows the same rules). Full refresh: every row, in primary-key ranges; an append destination resumes
/// after the last committed range, an overwrite one starts again. Incremental: rows with cursor &gt;= the saved
/// value (rows sharing the boundary value are read again rather than lost) and &lt;= the maximum taken when the sync
/// started, in (cursor, key) ranges; a resumed sync keeps that maximum and continues after the last committed
/// (cursor, key). Key values travel as text; the source binds them as parameters.
/// </summary>
public sealed class KeyRangeRead
{
    /// <summary>The ordered key the ranges follow: the primary key, or the cursor then the primary key; empty when the table has none.</summary>
    public IReadOnlyList<string> Keys { get; private init; } = [];
    public string? Cursor { get; private init; }
    public string? Lower { get; private init; }
    public string? Upper { get; private init; }
    public string?[]? ResumeAfter { get; private init; }
    /// <summary>Incremental read of a table whose cursor column holds no value yet: nothing to read.</summary>
    public bool Empty { get; private init; }
    public JsonObject Completed { get; private init; } = new() { ["completed"] = true };
    /// <summary>Where a checkpoint owed by time (checkpoint_seconds) may go inside a range.</summary>
    public MidRangeCheckpoint MidRange { get; private init; }

    /// <param name="maxCursorAsync">Reads max(cursor) as text, null when the table has no cursor value.</param>
    public static async Task<KeyRangeRead> PlanAsync(ConfiguredStream stream, JsonNode? state, Func<string, Task<string?>> maxCursorAsync)
    {
        var after = FromJson(state?["after"]);
        var pk = (stream.PrimaryKey.Count > 0 ? stream.PrimaryKey : stream.Stream.PrimaryKey).Where(p => p.Count > 0).Select(p => p[0]).ToList();
        if (stream.SyncMode != SyncMode.Incremental)
        {
            var resumable = stream.DestinationSyncMode is DestinationSyncMode.Append or DestinationSyncMode.AppendDedup;
            return new KeyRangeRead { Keys = pk, ResumeAfter = resumable ? after : null, MidRange = pk.Count > 0 ? MidRangeCheckpoint.AfterAnyRow : MidRangeCheckpoint.Never };
        }
        var cursor = CursorOf(stream);
        var same = SameCursor(state, cursor);
        var lower = same ? Text(state!["cursor"]) : null;
        var upper = after is null || !same ? null : Text(state!["upper"]);
        if (upper is null)
        {
            after = null;
            upper = await maxCursorAsync(cursor);
        }
        if (upper is null)
            return new KeyRangeRead { Empty = true, Completed = (state?.DeepClone() as JsonObject) ?? new JsonObject() };
        return new KeyRangeRead
        {
            Keys = [cursor, .. pk.Where(k => k != cursor)],
            Cursor = cursor,
            Lower = lower,
            Upper = upper,
            ResumeAfter = after,
            Completed = CursorState(cursor, upper),
            MidRange = MidRangeFor(pk.Count > 0, stream.Stream.Column(cursor)?.Type),
        };
    }

    /// <summary>
    /// A key holding the primary key is unique: a checkpoint may follow any row. A cursor alone repeats, so a checkpoint
    /// must fall where its value changes, which the read sees by comparing the values' text: exact for integers, dates,
    /// timestamps and uuids; not for text (a collation may call different strings equal) or decimals (1.0 and 1.00).
    /// </summary>
    public static MidRangeCheckpoint MidRangeFor(bool hasPrimaryKey, Types.LogicalType? cursorType) =>
        hasPrimaryKey ? MidRangeCheckpoint.AfterAnyRow
        : cursorType is not null && (cursorType.IsInteger || cursorType.Kind is Types.LogicalKind.Date or Types.LogicalKind.Timestamp
            or Types.LogicalKind.TimestampTz or Types.LogicalKind.Uuid) ? MidRangeCheckpoint.WhereTheKeyChanges
        : MidRangeCheckpoint.Never;

    /// <summary>
    /// Types that order an incremental read: integers, decimals, dates, times, timestamps, text and uuids. The database
    /// does every comparison (max, the WHERE bounds and ORDER BY, text under the column's collation), never C#, so the
    /// saved value and the next read agree. Left out: floats (text round trips and equality are not exact everywhere),
    /// binary (its text form is not exact in every source), json, arrays, intervals and times with a zone (no reliable
    /// order). A source may narrow this (a MySQL TEXT column sorts by a prefix only).
    /// </summary>
    public static bool CanOrder(Types.LogicalType type) =>
        type.IsInteger || type.Kind is Types.LogicalKind.Decimal or Types.LogicalKind.BigDecimal or Types.LogicalKind.Date
            or Types.LogicalKind.Time or Types.LogicalKind.Timestamp or Types.LogicalKind.TimestampTz
            or Types.LogicalKind.String or Types.LogicalKind.Uuid;

    public static string CursorOf(ConfiguredStream stream) =>
        stream.CursorField.FirstOrDefault() ?? stream.Stream.DefaultCursorField.FirstOrDefault() ?? stream.Stream.CursorCandidates.FirstOrDefault()
        ?? throw new ConfigException($"streams.{stream.Descriptor.Name}.cursor_field", "is required for an incremental stream and the table has no column to order by", "use full_refresh or pick an integer, decimal, date, time, timestamp, text or uuid column");

    /// <summary>The checkpoint after the range ending at <paramref name="after"/>.</summary>
    public JsonObject InProgress(string?[] after)
    {
        var state = Cursor is null ? new JsonObject() : CursorState(Cursor, Lower);
        if (Upper is not null)
            state["upper"] = Upper;
        state["after"] = new JsonArray(after.Select(k => (JsonNode?)(k is null ? null : JsonValue.Create(k))).ToArray());
        return state;
    }

    /// <summary>
    /// The WHERE clause (without the keyword) of the range (after, upTo] within the cursor window; either side may be
    /// open. Tuple comparisons are spelled out (a &gt; x OR (a = x AND b &gt; y)) so every engine can use the index.
    /// </summary>
    /// <param name="bind">Binds a text value compared with a column and returns the SQL expression standing for it.</param>
    public string Where(Func<string, string> quote, string?[]? after, string?[]? upTo, Func<string, string?, string> bind)
    {
        var parts = new List<string>();
        if (Cursor is not null)
        {
            parts.Add($"{quote(Cursor)} <= {bind(Cursor, Upper)}");
            if (Lower is not null)
                parts.Add($"{quote(Cursor)} >= {bind(Cursor, Lower)}");
        }
        if (after is not null)
            parts.Add(Compare(quote, after, ">", bind));
        if (upTo is not null)
            parts.Add(Compare(quote, upTo, "<=", bind));
        return string.Join(" AND ", parts.Select(p => "(" + p + ")"));
    }

    private string Compare(Func<string, string> quote, string?[] values, string op, Func<string, string?, string> bind)
    {
        var strict = op == ">" ? ">" : "<";
        var alternatives = new List<string>();
        for (var i = 0; i < Keys.Count; i++)
        {
            var equal = Enumerable.Range(0, i).Select(j => $"{quote(Keys[j])} = {bind(Keys[j], values[j])}");
            var last = $"{quote(Keys[i])} {(i == Keys.Count - 1 ? op : strict)} {bind(Keys[i], values[i])}";
            alternatives.Add(string.Join(" AND ", equal.Append(last)));
        }
        return string.Join(" OR ", alternatives.Select(a => "(" + a + ")"));
    }

    private static JsonObject CursorState(string cursor, string? value) => new()
    {
        ["state_type"] = "cursor_based",
        ["cursor_field"] = new JsonArray(cursor),
        ["cursor"] = value,
    };

    /// <summary>
    /// A saved cursor state counts only for the same cursor column (Airbyte's array form or a plain name). Its value may
    /// be null: a first sync killed mid-way has a window (upper, after) but no lower bound yet.
    /// </summary>
    private static bool SameCursor(JsonNode? state, string cursor) => state is JsonObject o && o.ContainsKey("cursor") && o["cursor_field"] switch
    {
        JsonArray a => a.Count == 1 && a[0]?.ToString() == cursor,
        JsonValue v => v.ToString() == cursor,
        _ => true,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

    private static string?[]? FromJson(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n is null ? null : Text(n)).ToArray() : null;
}
