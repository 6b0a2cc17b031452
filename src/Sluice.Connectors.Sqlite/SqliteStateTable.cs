using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;

namespace Sluice.Connectors.Sqlite;

/// <summary><c>_sluice_state</c> in the SQLite file (see <see cref="EmbeddedStateTable"/>).</summary>
internal static class SqliteStateTable
{
    public const string Name = EmbeddedStateTable.Name;
    private static readonly EmbeddedStateTable Table = new("TEXT", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");

    public static async Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, ConfiguredStream stream, long syncId, JsonNode state,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        await Table.SaveAsync(command, Name, stream, syncId, state, cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadAsync(SqliteConfig config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<StreamDescriptor, CommittedState>();
        if (!config.Exists)
            return result;
        await using var connection = await config.OpenReadOnlyAsync(cancellationToken);
        foreach (var stream in catalog.Streams)
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ($state, $target)";
            exists.Parameters.AddWithValue("$state", Name);
            exists.Parameters.AddWithValue("$target", stream.TargetName);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) < 2)
                continue;
            using var read = connection.CreateCommand();
            if (await EmbeddedStateTable.ReadAsync(read, Name, stream, cancellationToken) is { } state)
                result[stream.Descriptor] = state;
        }
        return result;
    }
}
