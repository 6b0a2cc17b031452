using Sluice.Core.Catalog;
using Sluice.Core.Types;
using Sluice.Testing;
using static Sluice.Connectors.Tests.MySql.MySqlTestSupport;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlDiscoverTests
{
    [Fact]
    public async Task Every_native_type_maps_to_its_logical_type()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("discover");
        await server.ExecuteAsync(database, MySqlAllTypes.Create);
        await server.ExecuteAsync(database, "create table no_key (x int not null, y varchar(5) not null, z date not null)");
        await server.ExecuteAsync(database, "create view v_types as select id, biu, js from all_types");
        var catalog = await Connector.DiscoverAsync(Config(server, database), CancellationToken.None);

        Assert.Equal(["all_types", "no_key", "v_types"], catalog.Streams.Select(s => s.Name));
        var stream = catalog.Streams[0];
        Assert.Equal(database, stream.Namespace);
        Assert.Equal([["id"]], stream.PrimaryKey);
        var expected = new Dictionary<string, string>
        {
            ["id"] = "int32", ["b"] = "boolean", ["ti"] = "int8", ["tiu"] = "uint8", ["si"] = "int16", ["siu"] = "uint16",
            ["mi"] = "int32", ["miu"] = "uint32", ["i"] = "int32", ["iu"] = "uint32", ["bi"] = "int64", ["biu"] = "uint64",
            ["d"] = "decimal(12,2)", ["d30"] = "decimal(30,10)", ["d65"] = "bigdecimal", ["f"] = "float32", ["dbl"] = "float64",
            ["bit1"] = "boolean", ["bit12"] = "uint64", ["c"] = "string", ["vc"] = "string", ["tx"] = "string", ["ltx"] = "string",
            ["bn"] = "binary", ["vb"] = "binary", ["bl"] = "binary", ["lbl"] = "binary", ["e"] = "string", ["st"] = "string",
            ["dt"] = "date", ["dtm"] = "timestamp", ["ts"] = "timestamptz", ["tm"] = "time", ["yr"] = "int16",
            ["js"] = "json", ["uu"] = "uuid", ["pt"] = "binary",
        };
        Assert.Equal(expected, stream.Columns.ToDictionary(c => c.Name, c => c.Type.ToString()));
        Assert.False(stream.Column("id")!.Nullable);
        Assert.True(stream.Column("vc")!.Nullable);
        Assert.Equal("bigint(20) unsigned", stream.Column("biu")!.NativeType);
        Assert.Contains(SyncMode.Incremental, stream.SupportedSyncModes);
        // Text only as CHAR / VARCHAR (TEXT sorts by a prefix, ENUM / SET by index); no float, binary, BIT or JSON.
        Assert.Equal(["id", "ti", "tiu", "si", "siu", "mi", "miu", "i", "iu", "bi", "biu", "d", "d30", "d65", "c", "vc", "dt", "dtm", "ts", "tm", "yr", "uu"], stream.CursorCandidates);

        var noKey = catalog.Streams[1];
        Assert.Empty(noKey.PrimaryKey);
        Assert.False(noKey.Column("x")!.Nullable);
        Assert.False(noKey.Column("y")!.Nullable);
        Assert.True(noKey.Column("z")!.Nullable); // zero dates read as NULL

        var view = catalog.Streams[2];
        // MariaDB's JSON is a check constraint on the table, which a view does not carry: its JSON columns read as text.
        Assert.Equal([LogicalType.Int32, LogicalType.UInt64, LogicalType.String], view.Columns.Select(c => c.Type));
        Assert.Null(view.EstimatedRows);
    }

    [Fact]
    public async Task Estimated_rows_come_from_information_schema()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("estimate");
        await server.ExecuteAsync(database, "create table t (id int primary key); insert into t select seq from seq_1_to_1000; analyze table t");
        var catalog = await Connector.DiscoverAsync(Config(server, database), CancellationToken.None);
        Assert.InRange(catalog.Streams.Single().EstimatedRows!.Value, 500, 2000);
    }
}
