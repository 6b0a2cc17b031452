using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>
/// An incremental read by cursor column: rows with a cursor greater than the last committed one, in cursor order.
/// The state has the shape of Airbyte's cursor-based state, so a migrated connection keeps its place.
/// </summary>
internal sealed record MySqlCursor(ColumnSchema Column, string? Previous)
{
    public static MySqlCursor For(ConfiguredStream stream, JsonNode? state)
    {
        var name = stream.CursorField.FirstOrDefault() ?? stream.Stream.DefaultCursorField.FirstOrDefault() ?? stream.Stream.CursorCandidates.FirstOrDefault()
            ?? throw new ConfigException($"streams.{stream.Descriptor.Name}.cursor_field", "is required for an incremental stream and the table has no column to order by",
                "use full_refresh or pick an integer, decimal, date or timestamp column");
        var column = stream.Stream.Column(name)
            ?? throw new ConfigException($"streams.{stream.Descriptor.Name}.cursor_field", $"names '{name}', which the table does not have",
                $"use one of: {string.Join(", ", stream.Stream.CursorCandidates)}");
        string? previous = null;
        if (state is JsonObject o && o["cursor"] is JsonValue v && SameField(o["cursor_field"], name))
            previous = v.ToString();
        return new MySqlCursor(column, previous);
    }

    public string WhereClause => Previous is null ? "" : $" where {MySqlIdentifiers.Quote(Column.Name)} > @cursor";

    public void AddParameter(MySqlCommand command)
    {
        if (Previous is not null)
            command.Parameters.AddWithValue("@cursor", Previous);
    }

    /// <summary>The state after a read; with no new rows the previous cursor stands.</summary>
    public JsonObject State(object? last) => new()
    {
        ["state_type"] = "cursor_based",
        ["version"] = 2,
        ["cursor_field"] = new JsonArray(Column.Name),
        ["cursor"] = last is null ? Previous : MySqlReader.CursorText(last, Column.Type.Kind),
    };

    private static bool SameField(JsonNode? field, string name) => field switch
    {
        JsonArray a => a.Count == 1 && a[0]?.ToString() == name,
        JsonValue v => v.ToString() == name,
        _ => true,
    };
}
