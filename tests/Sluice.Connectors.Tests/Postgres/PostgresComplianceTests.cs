using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Connectors.Postgres;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Testing;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresSourceComplianceTests : SourceCompliance
{
    protected override ISource CreateSource() => new PostgresConnector();

    protected override async Task<JsonObject> CreateFixtureAsync(SampleTable fixture)
    {
        var db = await PostgresTestDb.CreateAsync("srccompliance");
        await using var connection = new NpgsqlConnection(db.Server.ConnectionString(db.Database));
        await connection.OpenAsync();
        var columns = fixture.Columns.Select(c => $"{Quote(c.Name)} {PostgresTypeMap.ToNative(c.Type)}{(c.Nullable ? "" : " not null")}");
        await using (var create = new NpgsqlCommand($"create table {Quote(fixture.Name)} ({string.Join(", ", columns)}, primary key ({Quote(fixture.KeyColumn)}))", connection))
            await create.ExecuteNonQueryAsync();
        foreach (var row in fixture.Rows)
        {
            await using var insert = new NpgsqlCommand($"insert into {Quote(fixture.Name)} values ({string.Join(", ", row.Select((_, i) => $"${i + 1}"))})", connection);
            foreach (var value in row)
                insert.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync();
        }
        return db.Config();
    }

    protected override (JsonObject Config, string Field) InvalidConfig() =>
        (new JsonObject { ["host"] = "127.0.0.1", ["port"] = "abc", ["database"] = "d", ["username"] = "u" }, "port");

    protected override async Task<(JsonObject Config, string MissingName)> MissingStreamAsync() =>
        ((await PostgresTestDb.CreateAsync("srcmissing")).Config(), "no_such_table");
}

public sealed class PostgresDestinationComplianceTests : SyncModesCompliance
{
    private readonly Lazy<PostgresTestDb> _db = new(() => PostgresTestDb.CreateAsync("dstcompliance").GetAwaiter().GetResult());

    protected override IDestination CreateDestination() => new PostgresConnector();

    protected override JsonObject FreshConfig() => _db.Value.Config();

    protected override (JsonObject Config, string Field) InvalidConfig() =>
        (new JsonObject { ["host"] = "127.0.0.1", ["port"] = 70000, ["database"] = "d", ["username"] = "u" }, "port");

    protected override async Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream)
    {
        var db = _db.Value;
        var schema = stream.DestinationNamespace ?? "public";
        var types = await db.RowsAsync($"select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = to_regclass({Literal(Qualified(schema, stream.TargetName))}) and attnum > 0 and not attisdropped order by attnum");
        if (types.Count == 0)
            return null;
        // Numerics leave as text: numeric(38,9) values do not fit System.Decimal.
        var columns = types.Select(t => t.Split('|')).Select(p => (Name: p[0], Type: p[1])).ToList();
        var select = string.Join(", ", columns.Select(c => c.Type.StartsWith("numeric", StringComparison.Ordinal) || c.Type == "jsonb" ? $"{Quote(c.Name)}::text" : Quote(c.Name)));
        await using var connection = new NpgsqlConnection(db.Server.ConnectionString(db.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select {select} from {Qualified(schema, stream.TargetName)}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (await reader.ReadAsync())
            rows.Add(columns.Select((c, i) => (c.Name, Value: reader.IsDBNull(i) ? null : reader.GetValue(i))).ToDictionary(x => x.Name, x => x.Value));
        return new WrittenTable(columns.Select(c => c.Name).ToList(), rows);
    }
}
