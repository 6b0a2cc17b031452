using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;

namespace Sluice.Connectors.DuckDb;

/// <summary><c>_sluice_state</c> in each destination schema (see <see cref="EmbeddedStateTable"/>).</summary>
internal static class DuckDbStateTable
{
    public const string Name = EmbeddedStateTable.Name;
    private static readonly EmbeddedStateTable Table = new("VARCHAR", "now()");

    public static async Task SaveAsync(DuckDBConnection connection, ConfiguredStream stream, long syncId, JsonNode state, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        await Table.SaveAsync(command, DuckDbTypes.Qualified(stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema, Name), stream, syncId, state, cancellationToken);
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
            using var exists = connection.CreateCommand();
            exists.CommandText = """
                SELECT count(*) FROM information_schema.tables
                WHERE table_catalog = current_database() AND table_schema = $schema AND table_name IN ($state, $target)
                """;
            exists.Parameters.Add(new DuckDBParameter("schema", schema));
            exists.Parameters.Add(new DuckDBParameter("state", Name));
            exists.Parameters.Add(new DuckDBParameter("target", stream.TargetName));
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) < 2)
                continue;
            using var read = connection.CreateCommand();
            if (await EmbeddedStateTable.ReadAsync(read, DuckDbTypes.Qualified(schema, Name), stream, cancellationToken) is { } state)
                result[stream.Descriptor] = state;
        }
        return result;
    }
}
