using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// <c>_sluice_state</c> in each destination schema: the last checkpoint per target table, written in the same
/// transaction as the rows it covers, so the runner can resume exactly after them when the metadata store missed
/// the save (a crash between the two).
/// </summary>
internal static class DuckDbStateTable
{
    public const string Name = "_sluice_state";

    public static async Task SaveAsync(DuckDBConnection connection, ConfiguredStream stream, long syncId, JsonNode state, CancellationToken cancellationToken)
    {
        var table = DuckDbTypes.Qualified(stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema, Name);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"CREATE TABLE IF NOT EXISTS {table} (target VARCHAR PRIMARY KEY, stream VARCHAR NOT NULL, sync_id BIGINT NOT NULL, state JSON NOT NULL, committed_at TIMESTAMPTZ NOT NULL);" +
            $"INSERT INTO {table} (target, stream, sync_id, state, committed_at) VALUES ($t, $s, $id, $state, now()) " +
            "ON CONFLICT (target) DO UPDATE SET stream = excluded.stream, sync_id = excluded.sync_id, state = excluded.state, committed_at = excluded.committed_at";
        command.Parameters.Add(new DuckDBParameter("t", stream.TargetName));
        command.Parameters.Add(new DuckDBParameter("s", stream.Descriptor.ToString()));
        command.Parameters.Add(new DuckDBParameter("id", syncId));
        command.Parameters.Add(new DuckDBParameter("state", state.ToJsonString()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadAsync(DuckDbConfig config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<StreamDescriptor, CommittedState>();
        if (!config.Exists)
            return result;
        await using var connection = await config.OpenExistingAsync(cancellationToken);
        foreach (var stream in catalog.Streams)
        {
            var schema = stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema;
            using var command = connection.CreateCommand();
            // State of a table that is gone (dropped by hand) is not trusted: the runner then starts the stream over.
            command.CommandText = """
                SELECT count(*) FROM information_schema.tables
                WHERE table_catalog = current_database() AND table_schema = $schema AND table_name IN ($state, $target)
                """;
            command.Parameters.Add(new DuckDBParameter("schema", schema));
            command.Parameters.Add(new DuckDBParameter("state", Name));
            command.Parameters.Add(new DuckDBParameter("target", stream.TargetName));
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) < 2)
                continue;
            using var read = connection.CreateCommand();
            read.CommandText = $"SELECT sync_id, CAST(state AS VARCHAR) FROM {DuckDbTypes.Qualified(schema, Name)} WHERE target = $t AND stream = $s";
            read.Parameters.Add(new DuckDBParameter("t", stream.TargetName));
            read.Parameters.Add(new DuckDBParameter("s", stream.Descriptor.ToString()));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                result[stream.Descriptor] = new CommittedState(reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!);
        }
        return result;
    }
}
