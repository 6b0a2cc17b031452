using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Connectors.Airbyte;
using Sluice.Connectors.Sqlite;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Connectors.Tests.Sqlite;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Airbyte;

public sealed class AirbyteSourceTests
{
    private readonly AirbyteConnector _connector = new();

    [Fact]
    public async Task Spec_wraps_the_external_spec_under_config_and_reports_its_secrets()
    {
        var spec = await _connector.SpecAsync(FakeConnector.Config(), CancellationToken.None);

        Assert.Contains("config.api_key", spec.SecretPaths());
        Assert.Equal("https://example.com/fake", spec.DocumentationUrl);
        Assert.NotNull(spec.ConnectionSpecification["properties"]!["command"]);
    }

    [Fact]
    public async Task Check_reports_the_external_connectors_status()
    {
        Assert.True((await _connector.CheckAsync(FakeConnector.Config(), CancellationToken.None)).Succeeded);
        var failed = await _connector.CheckAsync(FakeConnector.Config(new JsonObject { ["api_key"] = "bad" }), CancellationToken.None);
        Assert.False(failed.Succeeded);
        Assert.Equal("api_key is not valid", failed.Message);
    }

    [Fact]
    public async Task Discover_maps_json_schema_to_logical_types()
    {
        var catalog = await _connector.DiscoverAsync(FakeConnector.Config(), CancellationToken.None);

        var users = catalog.Streams.Single(s => s.Name == "users");
        Assert.Equal(LogicalType.Int64, users.Column("id")!.Type);
        Assert.Equal(LogicalType.String, users.Column("name")!.Type);
        Assert.Equal(LogicalType.BigDecimal, users.Column("score")!.Type);
        Assert.Equal(LogicalType.Boolean, users.Column("active")!.Type);
        Assert.Equal(LogicalType.TimestampTz, users.Column("created_at")!.Type);
        Assert.Equal(LogicalType.Date, catalog.Streams.Single(s => s.Name == "events").Column("day")!.Type);
        Assert.Equal([["id"]], users.PrimaryKey);
    }

    [Fact]
    public async Task Read_batches_records_follows_them_with_checkpoints_and_forwards_stderr_as_logs()
    {
        var config = FakeConnector.Config();
        var messages = await FakeConnector.ReadAllAsync(config, await FakeConnector.CatalogAsync(config));

        Assert.Equal(5, FakeConnector.Rows(messages, "users"));
        Assert.Equal(5, FakeConnector.Rows(messages, "events"));
        var last = messages.OfType<CheckpointMessage>().Last(c => c.Checkpoint.Stream!.Name == "users");
        Assert.Equal(5, last.Checkpoint.Data["cursor"]!.GetValue<int>());
        Assert.Contains(messages.OfType<LogMessage>(), l => l.Text.Contains("reading users from cursor 0"));
        var firstUsers = messages.OfType<RecordBatchMessage>().First(m => m.Stream.Name == "users").Batch;
        Assert.Equal("user 1 🐍", ((StringArray)firstUsers.Column("name")).GetString(0));
        Assert.Equal(2, firstUsers.Length); // the STATE after id 2 flushes the pending batch
        var secondUsers = messages.OfType<RecordBatchMessage>().Where(m => m.Stream.Name == "users").ElementAt(1).Batch;
        Assert.True(secondUsers.Column("name").IsNull(0)); // id 3 has a null name
    }

    [Fact]
    public async Task Read_resumes_from_state()
    {
        var config = FakeConnector.Config();
        var catalog = await FakeConnector.CatalogAsync(config);
        var state = SyncState.Empty.With(new Checkpoint(new("users"), new JsonObject { ["cursor"] = 3 }));

        var messages = await FakeConnector.ReadAllAsync(config, catalog, state);

        Assert.Equal(2, FakeConnector.Rows(messages, "users"));
        Assert.Equal(5, FakeConnector.Rows(messages, "events"));
        Assert.Contains(messages.OfType<LogMessage>(), l => l.Text.Contains("reading users from cursor 3"));
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_last_stderr_lines()
    {
        var config = FakeConnector.Config(new JsonObject { ["fail"] = "exit" });
        var catalog = await FakeConnector.CatalogAsync(config);

        var e = await Assert.ThrowsAsync<ExternalConnectorException>(() => FakeConnector.ReadAllAsync(config, catalog));

        Assert.Contains("exited with code 1", e.Message);
        Assert.Contains("lost connection to the upstream API during read", e.Message);
    }

    [Fact]
    public async Task An_error_trace_fails_with_its_message()
    {
        var config = FakeConnector.Config(new JsonObject { ["fail"] = "trace" });
        var catalog = await FakeConnector.CatalogAsync(config);

        var e = await Assert.ThrowsAsync<ExternalConnectorException>(() => FakeConnector.ReadAllAsync(config, catalog));

        Assert.Contains("upstream API rejected the request", e.Message);
    }

    [Fact]
    public async Task Bad_configs_fail_clearly()
    {
        var none = await _connector.CheckAsync(new JsonObject { ["config"] = new JsonObject() }, CancellationToken.None);
        Assert.Contains("neither command nor image", none.Message);
        var missing = await _connector.CheckAsync(new JsonObject { ["command"] = "/no/such/connector" }, CancellationToken.None);
        Assert.Contains("cannot start '/no/such/connector'", missing.Message);
        var typo = await _connector.CheckAsync(new JsonObject { ["comand"] = "python3" }, CancellationToken.None);
        Assert.False(typo.Succeeded);
        await Assert.ThrowsAnyAsync<ConfigException>(async () => await _connector.DiscoverAsync(new JsonObject { ["args"] = "x" }, CancellationToken.None));
    }

    [Fact]
    public async Task Image_without_a_docker_engine_says_docker_is_not_available()
    {
        var result = await _connector.CheckAsync(new JsonObject { ["image"] = "airbyte/source-faker:latest" }, CancellationToken.None);
        // On a machine with a working engine the image may run; here we only assert the no-engine message when it fails so.
        if (!result.Succeeded && result.Message!.Contains("Docker"))
            Assert.Contains("Docker is not available", result.Message);
    }

    [Fact]
    public async Task Airbyte_source_to_sqlite_end_to_end()
    {
        using var database = new SqliteTestDatabase();
        var config = FakeConnector.Config();
        var catalog = await FakeConnector.CatalogAsync(config);
        var sqlite = new SqliteConnector();

        var committed = new List<Checkpoint>();
        var messages = _connector.ReadAsync(config, catalog, SyncState.Empty, CancellationToken.None);
        await foreach (var checkpoint in sqlite.WriteAsync(database.Config, catalog, messages, new WriteContext(1, DateTimeOffset.UnixEpoch), CancellationToken.None))
            committed.Add(checkpoint);

        var users = database.ReadTable("users")!;
        Assert.Equal(5, users.Rows.Count);
        Assert.Equal("user 4 🐍", users.Rows.Single(r => Convert.ToInt64(r["id"]) == 4)["name"]);
        Assert.Equal(5, database.ReadTable("events")!.Rows.Count);
        Assert.Contains(committed, c => c.Stream!.Name == "events" && c.Data["cursor"]!.GetValue<int>() == 5);
    }
}
