using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Connectors.MySql;
using Sluice.Connectors.Postgres;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Engine.Mapping;
using Sluice.Testing;

namespace Sluice.Engine.Tests.Mapping;

/// <summary>
/// Rename, hash and mask computed in the source's query must equal what the engine computes from the same rows:
/// every column of a PostgreSQL and a MariaDB table (unicode, emoji, NULL, numbers, timestamps...) is read once with
/// the mapping pushed down and once with the engine applying it, and the two results compared value by value.
/// Columns whose text the database renders differently from the engine must not be pushed.
/// </summary>
public sealed class MappingPushdownTests
{
    private const string PostgresTable = """
        create type mood as enum ('happy', 'sad 😢');
        create table v (id int primary key, t text, vc varchar(20), bp char(5), e mood, u uuid, j jsonb, arr int[],
          i2 smallint, i4 int, i8 bigint, b bool, big numeric, iv interval,
          ts timestamp, tz timestamptz, d date, f float8, n numeric(10,3), by bytea);
        insert into v values
          (1, 'héllo 🐍 "q", x', 'a''b', 'ab', 'sad 😢', '7d444840-9dc0-11d1-b245-5ffdce74fad2', '{"k": "ü", "a": [1, 2.50]}', '{1,NULL,3}',
           -32768, 2147483647, -9223372036854775808, true, 123456789012345678901234567890.000001, '1 day 02:03:04.5',
           '1969-12-31 23:59:59.123456', '2024-02-29 13:45:30.5+02', '1900-01-01', 0.1, 1234.5, '\x00ff'),
          (2, '', '', '', 'happy', '00000000-0000-0000-0000-000000000000', '[]', '{}', 0, 0, 0, false, 0, '0',
           'infinity', '-infinity', '2100-12-31', 'NaN', -0.001, ''),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        """;

    /// <summary>PostgreSQL renders these as the engine does (text reads, integers, booleans): their hash is pushed.</summary>
    private static readonly string[] PostgresHashable = ["t", "vc", "bp", "e", "u", "j", "arr", "i2", "i4", "i8", "b", "big", "iv"];

    private const string MariaDbTable = """
        create table v (id int primary key, t text, vc varchar(20), c char(5), e enum('happy', 'sad 😢'), st set('a', 'b'),
          i8 tinyint, u16 smallint unsigned, i24 mediumint, i32 int, i64 bigint, u64 bigint unsigned,
          b tinyint(1), y year, ts datetime(6), tsz timestamp(6) null, d date, f double, n decimal(10,3), bin varbinary(10), bits bit(12), j json)
          character set utf8mb4;
        insert into v values
          (1, 'héllo 🐍 "q", x', 'a''b', 'ab', 'sad 😢', 'a,b', -128, 65535, -8388608, 2147483647, -9223372036854775808, 18446744073709551615,
           1, 2024, '1969-12-31 23:59:59.123456', '2024-02-29 13:45:30.5', '1900-01-01', 0.1, 1234.5, x'00ff', b'101010101010', '{"k": "ü"}'),
          (2, '', '', '', 'happy', '', 0, 0, 0, 0, 0, 0, 0, 1901, '2100-12-31 00:00:00', '1970-01-01 00:00:01', '2100-12-31', -1.5e300, -0.001, x'', b'0', '[]'),
          (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
          (4, 'z', 'z', 'z', 'happy', 'b', 1, 1, 1, 1, 1, 1, 5, 0, '0000-00-00 00:00:00', '0000-00-00 00:00:00', '2024-00-10', 1e-7, 0, x'01', b'1', '{}');
        """;

    /// <summary>
    /// MariaDB renders these as the engine does: text, integers, decimals at their scale, booleans as true/false, and
    /// dates and date-times through DATE_FORMAT (row 4's zero dates are NULL on both sides).
    /// </summary>
    private static readonly string[] MariaDbHashable = ["t", "vc", "c", "e", "st", "i8", "u16", "i24", "i32", "i64", "u64", "b", "ts", "tsz", "d", "n"];

    [Theory]
    [InlineData(ColumnMappingKind.Hash)]
    [InlineData(ColumnMappingKind.Mask)]
    [InlineData(ColumnMappingKind.Rename)]
    public async Task Postgres_computes_each_mapping_as_the_engine_does(ColumnMappingKind kind)
    {
        var config = await PostgresSourceAsync();
        await AssertSameAsEngineAsync(new PostgresConnector(), config, kind, PostgresHashable);
    }

    [Theory]
    [InlineData(ColumnMappingKind.Hash)]
    [InlineData(ColumnMappingKind.Mask)]
    [InlineData(ColumnMappingKind.Rename)]
    public async Task MariaDb_computes_each_mapping_as_the_engine_does(ColumnMappingKind kind)
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("pushdown");
        await server.ExecuteAsync(database, MariaDbTable);
        var config = new JsonObject
        {
            ["host"] = server.Host, ["port"] = server.Port, ["database"] = database, ["username"] = MariaDbServer.User,
            ["password"] = MariaDbServer.Password, ["ssl_mode"] = new JsonObject { ["mode"] = "disabled" },
        };
        await AssertSameAsEngineAsync(new MySqlDatabaseConnector(), config, kind, MariaDbHashable);
    }

    [Fact]
    public async Task A_pushed_hash_is_the_sha256_hex_of_the_utf8_text()
    {
        var config = await PostgresSourceAsync();
        var connector = new PostgresConnector();
        var stream = await StreamAsync(connector, config, new ColumnMapping("t", ColumnMappingKind.Hash));
        var mapping = new StreamMapping(stream, connector);
        Assert.Single(mapping.Pushed);
        var rows = await ReadAsync(connector, config, mapping);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("héllo 🐍 \"q\", x"))), rows[1]["t"].Value);
        Assert.Null(rows[3]["t"].Value);
    }

    private static async Task<JsonObject> PostgresSourceAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("pushdown");
        await server.ExecuteAsync(database, PostgresTable);
        return new JsonObject
        {
            ["host"] = server.Host, ["port"] = server.Port, ["database"] = database, ["username"] = PostgresServer.User,
            ["password"] = PostgresServer.Password, ["ssl_mode"] = "disable", ["schema"] = "public",
        };
    }

    private static async Task AssertSameAsEngineAsync(ISource source, JsonObject config, ColumnMappingKind kind, string[] hashable)
    {
        var schema = (await source.DiscoverAsync(config, CancellationToken.None)).Streams.Single(s => s.Name == "v");
        var pushedColumns = new List<string>();
        foreach (var column in schema.Columns.Where(c => c.Name != "id"))
        {
            var stream = await StreamAsync(source, config, new ColumnMapping(column.Name, kind, kind == ColumnMappingKind.Rename ? column.Name + "_renamed" : null));
            var pushed = new StreamMapping(stream, (IMappingPushdown)source);
            var engine = new StreamMapping(stream);
            if (pushed.Pushed.Count == 1)
                pushedColumns.Add(column.Name);
            var expected = await ReadAsync(source, config, engine);
            var actual = await ReadAsync(source, config, pushed);
            foreach (var (id, row) in expected)
                Assert.True(row.SequenceEqual(actual[id]),
                    $"{kind} of {column.Name} ({column.NativeType}), row {id}: engine {Show(row)}, pushed down {Show(actual[id])}");
        }
        var expectedPushed = kind == ColumnMappingKind.Hash ? hashable : schema.Columns.Where(c => c.Name != "id").Select(c => c.Name).ToArray();
        Assert.Equal(expectedPushed.Order(), pushedColumns.Order());
    }

    private static async Task<ConfiguredStream> StreamAsync(ISource source, JsonObject config, ColumnMapping mapping)
    {
        var schema = (await source.DiscoverAsync(config, CancellationToken.None)).Streams.Single(s => s.Name == "v");
        return new ConfiguredStream { Stream = schema, PrimaryKey = [["id"]], Mappings = [mapping] };
    }

    /// <summary>The rows as the destination would get them, by id: each column's name, Arrow type and text.</summary>
    private static async Task<Dictionary<long, Dictionary<string, (string Type, string? Value)>>> ReadAsync(ISource source, JsonObject config, StreamMapping mapping)
    {
        var rows = new Dictionary<long, Dictionary<string, (string Type, string? Value)>>();
        await foreach (var message in source.ReadAsync(config, new ConfiguredCatalog([mapping.SourceStream]), SyncState.Empty, CancellationToken.None))
        {
            if (message is not RecordBatchMessage batchMessage)
                continue;
            var batch = mapping.Apply(batchMessage.Batch);
            for (var r = 0; r < batch.Length; r++)
            {
                var row = new Dictionary<string, (string, string?)>();
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    var field = batch.Schema.GetFieldByIndex(c);
                    row[field.Name] = (field.DataType.Name, ArrowValues.ToText(batch.Column(c), r));
                }
                rows[long.Parse(row["id"].Item2!, System.Globalization.CultureInfo.InvariantCulture)] = row;
            }
        }
        Assert.Equal(source is MySqlDatabaseConnector ? 4 : 3, rows.Count);
        return rows;
    }

    private static string Show(Dictionary<string, (string Type, string? Value)> row) =>
        string.Join(", ", row.Select(p => $"{p.Key}:{p.Value.Type}={p.Value.Value ?? "NULL"}"));
}
