using System.Globalization;
using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Connectors.MySql;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.MySql;

/// <summary>Drives the mysql connector against the throwaway MariaDB: configs, read → write, and canonical row text to compare.</summary>
internal static class MySqlTestSupport
{
    public static readonly MySqlDatabaseConnector Connector = new();

    public static JsonObject Config(MariaDbServer server, string database, string? loadMethod = null)
    {
        var config = new JsonObject
        {
            ["host"] = server.Host,
            ["port"] = server.Port,
            ["database"] = database,
            ["username"] = MariaDbServer.User,
            ["password"] = MariaDbServer.Password,
            ["ssl_mode"] = new JsonObject { ["mode"] = "disabled" },
        };
        if (loadMethod is not null)
            config["load_method"] = loadMethod;
        return config;
    }

    public static async Task<ConfiguredCatalog> CatalogAsync(JsonObject config, DestinationSyncMode mode = DestinationSyncMode.Overwrite, params string[] tables)
    {
        var catalog = await Connector.DiscoverAsync(config, CancellationToken.None);
        var configured = ConfiguredCatalog.AllStreams(catalog, mode);
        return tables.Length == 0 ? configured : new ConfiguredCatalog(configured.Streams.Where(s => tables.Contains(s.Stream.Name)).ToList());
    }

    public static async Task<List<SourceMessage>> ReadAllAsync(JsonObject config, ConfiguredCatalog catalog, SyncState? state = null)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in Connector.ReadAsync(config, catalog, state ?? SyncState.Empty, CancellationToken.None))
            messages.Add(message);
        return messages;
    }

    /// <summary>Reads from one database and writes into another, as the engine will; returns the checkpoints the destination committed.</summary>
    public static async Task<List<Checkpoint>> SyncAsync(JsonObject source, JsonObject destination, ConfiguredCatalog catalog, long syncId = 1)
    {
        var committed = new List<Checkpoint>();
        var messages = Connector.ReadAsync(source, catalog, SyncState.Empty, CancellationToken.None);
        var context = new WriteContext(syncId, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await foreach (var checkpoint in Connector.WriteAsync(destination, catalog, messages, context, CancellationToken.None))
            committed.Add(checkpoint);
        return committed;
    }

    /// <summary>Every row of a query as canonical text per value, in a UTC session that accepts zero dates.</summary>
    public static async Task<List<string[]>> RowsAsync(MariaDbServer server, string database, string sql)
    {
        var builder = new MySqlConnectionStringBuilder(server.ConnectionString(database)) { AllowZeroDateTime = true, GuidFormat = MySqlGuidFormat.None };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using (var tz = new MySqlCommand("set time_zone = '+00:00'", connection))
            await tz.ExecuteNonQueryAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? "NULL" : reader.GetFieldType(i) == typeof(decimal) ? reader.GetMySqlDecimal(i).ToString() : Canon(reader.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }

    private static string Canon(object value) => value switch
    {
        bool b => b ? "1" : "0",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        MySqlDateTime d => d.IsValidDateTime ? d.GetDateTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) : "ZERO",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Text(IEnumerable<string[]> rows) => string.Join("\n", rows.Select(r => string.Join(" | ", r)));
}
