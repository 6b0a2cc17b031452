using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// <c>_sluice_state</c>: the last checkpoint per target table, written in the same transaction as the rows it covers,
/// so the runner can resume exactly after them when the metadata store missed the save (a crash between the two).
/// </summary>
internal static class SqliteStateTable
{
    public const string Name = "_sluice_state";

    public static async Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, ConfiguredStream stream, long syncId, JsonNode state,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"CREATE TABLE IF NOT EXISTS {Name} (target TEXT PRIMARY KEY, stream TEXT NOT NULL, sync_id INTEGER NOT NULL, state JSON NOT NULL, committed_at TIMESTAMPTZ NOT NULL);" +
            $"INSERT INTO {Name} (target, stream, sync_id, state, committed_at) VALUES ($t, $s, $id, $state, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) " +
            "ON CONFLICT (target) DO UPDATE SET stream = excluded.stream, sync_id = excluded.sync_id, state = excluded.state, committed_at = excluded.committed_at";
        command.Parameters.AddWithValue("$t", stream.TargetName);
        command.Parameters.AddWithValue("$s", stream.Descriptor.ToString());
        command.Parameters.AddWithValue("$id", syncId);
        command.Parameters.AddWithValue("$state", state.ToJsonString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadAsync(SqliteConfig config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<StreamDescriptor, CommittedState>();
        if (!config.Exists)
            return result;
        await using var connection = await config.OpenReadOnlyAsync(cancellationToken);
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{Name}'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
                return result;
        }
        foreach (var stream in catalog.Streams)
        {
            using var command = connection.CreateCommand();
            // State of a table that is gone (dropped by hand) is not trusted: the runner then starts the stream over.
            command.CommandText = $"SELECT sync_id, state FROM {Name} WHERE target = $t AND stream = $s AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $t)";
            command.Parameters.AddWithValue("$t", stream.TargetName);
            command.Parameters.AddWithValue("$s", stream.Descriptor.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                result[stream.Descriptor] = new CommittedState(reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!);
        }
        return result;
    }
}
