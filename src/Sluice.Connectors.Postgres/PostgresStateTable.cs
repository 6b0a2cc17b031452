using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// <c>_sluice_state</c> in each destination schema: the last checkpoint per target table, written in the same
/// transaction as the rows it covers. After a crash between that commit and the metadata store's save, the runner
/// takes this one (it is never behind), which makes a retry exactly-once.
/// </summary>
internal static class PostgresStateTable
{
    public const string Name = "_sluice_state";

    public static async Task SaveAsync(NpgsqlConnection connection, string schema, string target, StreamDescriptor stream, long syncId,
        JsonNode state, CancellationToken cancellationToken)
    {
        await PostgresTable.ExecuteAsync(connection,
            $"CREATE TABLE IF NOT EXISTS {Qualified(schema, Name)} (target text PRIMARY KEY, stream text NOT NULL, sync_id bigint NOT NULL, state jsonb NOT NULL, committed_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {Qualified(schema, Name)} (target, stream, sync_id, state) VALUES (@t, @s, @id, @state) " +
            "ON CONFLICT (target) DO UPDATE SET stream = EXCLUDED.stream, sync_id = EXCLUDED.sync_id, state = EXCLUDED.state, committed_at = now()", connection);
        command.Parameters.AddWithValue("t", target);
        command.Parameters.AddWithValue("s", stream.ToString());
        command.Parameters.AddWithValue("id", syncId);
        command.Parameters.AddWithValue("state", NpgsqlDbType.Jsonb, state.ToJsonString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadAsync(PostgresConfig config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<StreamDescriptor, CommittedState>();
        await using var connection = await PostgresErrors.OpenAsync(config, cancellationToken, "sluice-state");
        foreach (var stream in catalog.Streams)
        {
            var schema = stream.DestinationNamespace ?? config.Schema;
            await using var command = new NpgsqlCommand(
                $"SELECT sync_id, state::text FROM {Qualified(schema, Name)} WHERE target = @t AND stream = @s AND to_regclass(@table) IS NOT NULL", connection);
            command.Parameters.AddWithValue("t", stream.TargetName);
            command.Parameters.AddWithValue("s", stream.Descriptor.ToString());
            command.Parameters.AddWithValue("table", Qualified(schema, stream.TargetName));
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                    result[stream.Descriptor] = new CommittedState(reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
            {
                // No state table yet: nothing was ever committed with state in this schema.
            }
        }
        return result;
    }
}
