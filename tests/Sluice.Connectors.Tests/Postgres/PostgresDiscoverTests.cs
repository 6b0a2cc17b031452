using Sluice.Connectors.Postgres;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresDiscoverTests
{
    [Fact]
    public async Task Discovers_tables_views_partitions_types_keys_and_cursors()
    {
        var db = await PostgresTestDb.CreateAsync("discover", PostgresTypesSql.Setup + """
            create schema other;
            create table other.hidden (id int);
            create table measurements (id bigint not null, at date not null, v real, primary key (id, at)) partition by range (at);
            create table measurements_2024 partition of measurements for values from ('2024-01-01') to ('2025-01-01');
            analyze all_types;
            """);
        var catalog = await new PostgresConnector().DiscoverAsync(db.Config(), CancellationToken.None);

        Assert.Equal(["all_types", "all_types_view", "measurements"], catalog.Streams.Select(s => s.Name).Order().ToArray());
        var table = catalog.Find(new StreamDescriptor("all_types", "public"))!;
        Assert.Equal("c_int2", table.Columns[1].Name);
        Assert.Equal([["id"]], table.PrimaryKey);
        Assert.Equal(6, table.EstimatedRows);
        Assert.Equal([SyncMode.FullRefresh, SyncMode.Incremental], table.SupportedSyncModes);
        Assert.False(table.Column("id")!.Nullable);
        Assert.True(table.Column("c_text")!.Nullable);
        Assert.Equal("numeric(12,2)", table.Column("c_num")!.NativeType);
        Assert.Equal("mood", table.Column("c_enum")!.NativeType);

        var expected = new Dictionary<string, string>
        {
            ["id"] = "int32", ["c_int2"] = "int16", ["c_int4"] = "int32", ["c_int8"] = "int64", ["c_float4"] = "float32", ["c_float8"] = "float64",
            ["c_num"] = "decimal(12,2)", ["c_num38"] = "decimal(38,6)", ["c_numbig"] = "bigdecimal", ["c_numfree"] = "bigdecimal",
            ["c_text"] = "string", ["c_varchar"] = "string", ["c_char"] = "string", ["c_citext"] = "string", ["c_name"] = "string",
            ["c_bytea"] = "binary", ["c_bool"] = "boolean", ["c_date"] = "date", ["c_time"] = "time", ["c_timetz"] = "timetz",
            ["c_ts"] = "timestamp", ["c_tstz"] = "timestamptz", ["c_interval"] = "interval", ["c_uuid"] = "uuid",
            ["c_json"] = "json", ["c_jsonb"] = "json", ["c_enum"] = "string", ["c_intarr"] = "array<int32>", ["c_textarr"] = "array<string>", ["c_inet"] = "string",
        };
        Assert.Equal(expected, table.Columns.ToDictionary(c => c.Name, c => c.Type.ToString()));
        // Text types and enums order by the database's collation (or declaration); inet, json, floats, bytea, timetz and intervals are no cursors.
        Assert.Equal(["id", "c_int2", "c_int4", "c_int8", "c_num", "c_num38", "c_numbig", "c_numfree", "c_text", "c_varchar", "c_char", "c_citext", "c_name",
            "c_date", "c_time", "c_ts", "c_tstz", "c_uuid", "c_enum"], table.CursorCandidates);

        var view = catalog.Find(new StreamDescriptor("all_types_view", "public"))!;
        Assert.Empty(view.PrimaryKey);
        Assert.Null(view.EstimatedRows);
        Assert.Equal(LogicalType.String, view.Column("c_text")!.Type);

        var partitioned = catalog.Find(new StreamDescriptor("measurements", "public"))!;
        Assert.Equal([["id"], ["at"]], partitioned.PrimaryKey);

        var config = db.Config();
        config["schemas"] = new System.Text.Json.Nodes.JsonArray("other");
        var other = await new PostgresConnector().DiscoverAsync(config, CancellationToken.None);
        Assert.Equal("other.hidden", Assert.Single(other.Streams).Descriptor.ToString());
    }
}
