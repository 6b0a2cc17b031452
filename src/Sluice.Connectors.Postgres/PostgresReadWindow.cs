using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Catalog;
using Sluice.Core.Sources;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// What one read of a stream covers and how its checkpoints look. Full refresh: every row, in primary-key ranges
/// (a table without one: in ctid ranges, <see cref="PostgresCtidRange"/>);
/// an append destination resumes after the last committed range, an overwrite one starts again (its staging table
/// was rolled back with the failed attempt). Incremental: rows with cursor &gt;= the saved value (rows sharing the
/// boundary value are re-read rather than lost) and &lt;= the maximum taken when the sync started, in (cursor, key)
/// ranges; a resumed sync keeps that maximum and continues after the last committed (cursor, key).
/// </summary>
internal sealed class PostgresReadWindow
{
    private string? _cursor;
    private string? _lower;
    private string? _upper;

    public IReadOnlyList<string> Keys { get; private init; } = [];
    public string BaseFilter { get; private init; } = "";
    public string?[]? ResumeAfter { get; private init; }
    public bool Empty { get; private init; }
    /// <summary>A full refresh into an append destination: a saved position is resumed (an overwrite one starts again).</summary>
    public bool Resumable { get; private init; }
    public JsonNode Completed { get; private init; } = new JsonObject { ["completed"] = true };
    /// <summary>Where a checkpoint owed by time (checkpoint_seconds) may go inside a range.</summary>
    public MidRangeCheckpoint MidRange { get; private init; }

    public JsonNode InProgress(string?[] after) => _cursor is null
        ? new JsonObject { ["after"] = PostgresKeyRange.ToJson(after) }
        : new JsonObject { ["cursor"] = _lower, ["cursor_field"] = _cursor, ["upper"] = _upper, ["after"] = PostgresKeyRange.ToJson(after) };

    public static async Task<PostgresReadWindow> CreateAsync(NpgsqlConnection connection, ConfiguredStream stream, string table,
        JsonNode? state, CancellationToken cancellationToken)
    {
        var after = PostgresKeyRange.FromJson(state?["after"]);
        if (stream.SyncMode != SyncMode.Incremental)
        {
            var resumable = stream.DestinationSyncMode is DestinationSyncMode.Append or DestinationSyncMode.AppendDedup;
            var keys = PostgresKeyRange.KeysFor(stream, null);
            return new PostgresReadWindow
            {
                Keys = keys, ResumeAfter = resumable ? after : null, Resumable = resumable,
                MidRange = keys.Count > 0 ? MidRangeCheckpoint.AfterAnyRow : MidRangeCheckpoint.Never,
            };
        }

        var descriptor = stream.Descriptor;
        var cursor = stream.CursorField.FirstOrDefault() ?? stream.Stream.CursorCandidates.FirstOrDefault()
            ?? throw new Core.Connectors.ConfigException($"streams.{descriptor}.cursor_field", "incremental sync needs a cursor column", "pick one of the stream's cursor candidates");
        var lower = state?["cursor"]?.GetValue<string>();
        var upper = after is null ? null : state?["upper"]?.GetValue<string>();
        if (upper is null)
        {
            after = null;
            // Not max(): PostgreSQL has none for uuid. Qualified, since the ::text output keeps the column's name.
            await using var command = new NpgsqlCommand(
                $"SELECT {Quote(cursor)}::text FROM {table} WHERE {Quote(cursor)} IS NOT NULL ORDER BY {table}.{Quote(cursor)} DESC LIMIT 1", connection);
            upper = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        if (upper is null)
            return new PostgresReadWindow { Empty = true, Completed = state?.DeepClone() ?? new JsonObject() };
        var filter = $"{Quote(cursor)} <= {Literal(upper)}" + (lower is null ? "" : $" AND {Quote(cursor)} >= {Literal(lower)}");
        return new PostgresReadWindow
        {
            _cursor = cursor,
            _lower = lower,
            _upper = upper,
            Keys = PostgresKeyRange.KeysFor(stream, cursor),
            BaseFilter = filter,
            ResumeAfter = after,
            Completed = new JsonObject { ["cursor"] = upper, ["cursor_field"] = cursor },
            MidRange = KeyRangeRead.MidRangeFor(PostgresKeyRange.KeysFor(stream, null).Count > 0, stream.Stream.Column(cursor)?.Type),
        };
    }
}
