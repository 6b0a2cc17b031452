using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Connectors.MySql;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlSourceComplianceTests : SourceCompliance
{
    protected override ISource CreateSource() => new MySqlDatabaseConnector();

    protected override async Task<JsonObject> CreateFixtureAsync(SampleTable fixture)
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("srccompliance");
        await server.ExecuteAsync(database,
            $"create table `{fixture.Name}` (id bigint not null primary key, name longtext, amount double, active boolean, born date, updated_at datetime(6), note longtext)");
        await using var connection = new MySqlConnection(server.ConnectionString(database));
        await connection.OpenAsync();
        foreach (var row in fixture.Rows)
        {
            await using var insert = new MySqlCommand($"insert into `{fixture.Name}` values ({string.Join(", ", row.Select((_, i) => $"@p{i}"))})", connection);
            for (var i = 0; i < row.Length; i++)
                insert.Parameters.AddWithValue($"@p{i}", row[i] ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }
        return MySqlTestSupport.Config(server, database);
    }

    protected override (JsonObject Config, string Field) InvalidConfig() =>
        (new JsonObject { ["host"] = "127.0.0.1", ["port"] = "abc", ["database"] = "d", ["username"] = "u" }, "port");

    protected override async Task<(JsonObject Config, string MissingName)> MissingStreamAsync()
    {
        var server = await MariaDbServer.InstanceAsync();
        return (MySqlTestSupport.Config(server, await server.CreateDatabaseAsync("srcmissing")), "no_such_table");
    }
}

public sealed class MySqlDestinationComplianceTests : SyncModesCompliance
{
    private readonly Lazy<(MariaDbServer Server, string Database)> _db = new(() =>
    {
        var server = MariaDbServer.InstanceAsync().GetAwaiter().GetResult();
        return (server, server.CreateDatabaseAsync("dstcompliance").GetAwaiter().GetResult());
    });

    protected override IDestination CreateDestination() => new MySqlDatabaseConnector();

    protected override JsonObject FreshConfig() => MySqlTestSupport.Config(_db.Value.Server, _db.Value.Database);

    protected override (JsonObject Config, string Field) InvalidConfig() =>
        (new JsonObject { ["host"] = "127.0.0.1", ["port"] = 70000, ["database"] = "d", ["username"] = "u" }, "port");

    protected override async Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream)
    {
        var (server, database) = _db.Value;
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(server.ConnectionString(database)) { GuidFormat = MySqlGuidFormat.None }.ConnectionString);
        await connection.OpenAsync();
        var table = "`" + stream.TargetName.Replace("`", "``") + "`";
        await using (var exists = new MySqlCommand("select count(*) from information_schema.TABLES where TABLE_SCHEMA = database() and cast(TABLE_NAME as binary) = cast(@t as binary)", connection))
        {
            exists.Parameters.AddWithValue("@t", stream.TargetName);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync()) == 0)
                return null;
        }
        await using var command = new MySqlCommand($"select * from {table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (await reader.ReadAsync())
            // DECIMAL(38,9) does not fit System.Decimal: take its text.
            rows.Add(columns.Select((c, i) => (c, Value: reader.IsDBNull(i) ? null : reader.GetFieldType(i) == typeof(decimal) ? reader.GetMySqlDecimal(i).ToString() : reader.GetValue(i)))
                .ToDictionary(x => x.c, x => x.Value));
        return new WrittenTable(columns, rows);
    }
}
