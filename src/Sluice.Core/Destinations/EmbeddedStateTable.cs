using System.Data.Common;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Core.Destinations;

/// <summary>
/// <c>_sluice_state</c> of the embedded warehouses (SQLite, DuckDB): the last checkpoint per target table, written in
/// the same transaction as the rows it covers, so the runner can resume exactly after them when the metadata store
/// missed the save (a crash between the two). The SQL is the same in both but for the type names and the clock.
/// </summary>
/// <param name="TextType">The column type of target, stream and state text.</param>
/// <param name="Now">The SQL expression of the commit time.</param>
public sealed record EmbeddedStateTable(string TextType, string Now)
{
    public const string Name = "_sluice_state";

    /// <summary>Creates the table when missing and upserts the stream's checkpoint; <paramref name="table"/> is the quoted name.</summary>
    public async Task SaveAsync(DbCommand command, string table, ConfiguredStream stream, long syncId, JsonNode state, CancellationToken cancellationToken)
    {
        command.CommandText =
            $"CREATE TABLE IF NOT EXISTS {table} (target {TextType} PRIMARY KEY, stream {TextType} NOT NULL, sync_id BIGINT NOT NULL, state JSON NOT NULL, committed_at TIMESTAMPTZ NOT NULL);" +
            $"INSERT INTO {table} (target, stream, sync_id, state, committed_at) VALUES ($t, $s, $id, $state, {Now}) " +
            "ON CONFLICT (target) DO UPDATE SET stream = excluded.stream, sync_id = excluded.sync_id, state = excluded.state, committed_at = excluded.committed_at";
        AddKey(command, stream);
        Add(command, "id", syncId);
        Add(command, "state", state.ToJsonString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The stream's checkpoint from <paramref name="table"/>, or null when it has none. The caller checks first that
    /// the state table and the target table exist: state of a table that is gone (dropped by hand) is not trusted,
    /// so the runner starts the stream over.
    /// </summary>
    public static async Task<CommittedState?> ReadAsync(DbCommand command, string table, ConfiguredStream stream, CancellationToken cancellationToken)
    {
        command.CommandText = $"SELECT sync_id, CAST(state AS VARCHAR) FROM {table} WHERE target = $t AND stream = $s";
        AddKey(command, stream);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CommittedState(reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!) : null;
    }

    private static void AddKey(DbCommand command, ConfiguredStream stream)
    {
        Add(command, "t", stream.TargetName);
        Add(command, "s", stream.Descriptor.ToString());
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
