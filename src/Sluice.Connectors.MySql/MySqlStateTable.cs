using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>
/// <c>_sluice_state</c> in each destination database: the last checkpoint per target table, written in the same
/// transaction as the rows it covers (append modes), so the runner can resume exactly after them when the metadata
/// store missed the save. An overwrite's swap is DDL, which MySQL commits on its own: its state follows just after.
/// </summary>
internal static class MySqlStateTable
{
    public const string Name = "_sluice_state";

    /// <summary>DDL: run while no transaction is open.</summary>
    public static Task EnsureAsync(MySqlConnection connection, string database, CancellationToken cancellationToken) =>
        MySqlDdl.ExecuteAsync(connection,
            $"create table if not exists {MySqlIdentifiers.Quote(database, Name)} (target varchar(255) not null primary key, stream text not null, " +
            "sync_id bigint not null, state longtext not null, committed_at datetime(6) not null) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin",
            cancellationToken);

    public static async Task SaveAsync(MySqlConnection connection, MySqlTransaction? transaction, MySqlTarget target, long syncId, JsonNode state,
        CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"insert into {MySqlIdentifiers.Quote(target.Database, Name)} (target, stream, sync_id, state, committed_at) values (@t, @s, @id, @state, utc_timestamp(6)) " +
            "on duplicate key update stream = values(stream), sync_id = values(sync_id), state = values(state), committed_at = values(committed_at)", connection, transaction);
        command.Parameters.AddWithValue("@t", target.Table);
        command.Parameters.AddWithValue("@s", target.Stream.Descriptor.ToString());
        command.Parameters.AddWithValue("@id", syncId);
        command.Parameters.AddWithValue("@state", state.ToJsonString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadAsync(MySqlConfig config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<StreamDescriptor, CommittedState>();
        await using var connection = await MySqlErrors.OpenAsync(config, forWriting: false, cancellationToken);
        foreach (var stream in catalog.Streams)
        {
            var database = stream.DestinationNamespace ?? config.Database;
            // State of a table that is gone (dropped by hand) is not trusted: the runner then starts the stream over.
            await using var command = new MySqlCommand(
                $"select sync_id, state from {MySqlIdentifiers.Quote(database, Name)} where target = @t and stream = @s " +
                "and exists (select 1 from information_schema.TABLES where TABLE_SCHEMA = @db and cast(TABLE_NAME as binary) = cast(@t as binary))", connection);
            command.Parameters.AddWithValue("@t", stream.TargetName);
            command.Parameters.AddWithValue("@s", stream.Descriptor.ToString());
            command.Parameters.AddWithValue("@db", database);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                    result[stream.Descriptor] = new CommittedState(reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!);
            }
            catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
            {
                // No state table yet: nothing was ever committed with state in this database.
            }
        }
        return result;
    }
}
