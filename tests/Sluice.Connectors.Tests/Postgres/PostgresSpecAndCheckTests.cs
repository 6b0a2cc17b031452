using System.Text.Json.Nodes;
using Sluice.Connectors.Postgres;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.State;
using Sluice.Testing;

namespace Sluice.Connectors.Tests.Postgres;

public sealed class PostgresSpecAndCheckTests
{
    private readonly PostgresConnector _connector = new();

    private static JsonObject Valid() => new() { ["host"] = "127.0.0.1", ["port"] = 5432, ["database"] = "db", ["username"] = "u", ["password"] = "p" };

    [Fact]
    public void Spec_is_draft07_with_secret_password_and_port_bounds()
    {
        var spec = _connector.Spec();
        var schema = spec.ConnectionSpecification;
        Assert.Equal("http://json-schema.org/draft-07/schema#", schema["$schema"]!.GetValue<string>());
        Assert.Equal(["password"], spec.SecretPaths());
        var port = schema["properties"]!["port"]!;
        Assert.Equal(5432, port["default"]!.GetValue<int>());
        Assert.Equal(1, port["minimum"]!.GetValue<int>());
        Assert.Equal(65535, port["maximum"]!.GetValue<int>());
        Assert.Equal("public", schema["properties"]!["schemas"]!["default"]![0]!.GetValue<string>());
        Assert.Contains(DestinationSyncMode.Overwrite, spec.SupportedDestinationSyncModes);
        Assert.Contains(DestinationSyncMode.Append, spec.SupportedDestinationSyncModes);
    }

    [Theory]
    [InlineData("host", null, "host: is required")]
    [InlineData("port", "abc", "port: must be an integer")]
    [InlineData("port", 70000, "port: must be at most 65535")]
    [InlineData("port", 0, "port: must be at least 1")]
    [InlineData("ssl_mode", "sometimes", "ssl_mode")]
    public async Task Invalid_config_names_the_field(string field, object? value, string expected)
    {
        var config = Valid();
        if (value is null)
            config.Remove(field);
        else
            config[field] = JsonValue.Create(value);
        var check = await _connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains(expected, check.Message);
        var error = await Assert.ThrowsAnyAsync<ConfigException>(async () => await _connector.DiscoverAsync(config, CancellationToken.None));
        Assert.Equal(field, error.Field);
        await Assert.ThrowsAnyAsync<ConfigException>(async () =>
        {
            await foreach (var _ in _connector.ReadAsync(config, new ConfiguredCatalog([]), SyncState.Empty, CancellationToken.None)) { }
        });
    }

    [Fact]
    public async Task Ssl_mode_accepts_airbyte_object_form()
    {
        var db = await PostgresTestDb.CreateAsync("sslobj");
        var config = db.Config();
        config["ssl_mode"] = new JsonObject { ["mode"] = "disable" };
        Assert.Equal(CheckResult.Success, await _connector.CheckAsync(config, CancellationToken.None));
    }

    [Fact]
    public async Task Check_succeeds_against_a_real_server()
    {
        var db = await PostgresTestDb.CreateAsync("checkok");
        Assert.Equal(CheckResult.Success, await _connector.CheckAsync(db.Config(), CancellationToken.None));
    }

    [Fact]
    public async Task Check_reports_wrong_password()
    {
        var db = await PostgresTestDb.CreateAsync("checkpw");
        var config = db.Config();
        config["password"] = "wrong";
        var check = await _connector.CheckAsync(config, CancellationToken.None);
        Assert.Equal("PostgreSQL rejected user 'postgres': password authentication failed; check username and password", check.Message);
        var error = await Assert.ThrowsAsync<ConnectorUnavailableException>(async () => await _connector.DiscoverAsync(config, CancellationToken.None));
        Assert.Equal(check.Message, error.Message);
    }

    [Fact]
    public async Task Check_reports_closed_port()
    {
        var port = FreePort.Next();
        var config = Valid();
        config["port"] = port;
        var check = await _connector.CheckAsync(config, CancellationToken.None);
        Assert.Equal($"cannot connect to PostgreSQL at 127.0.0.1:{port}: connection refused; check host and port", check.Message);
    }

    [Fact]
    public async Task Check_reports_missing_database_and_schema()
    {
        var db = await PostgresTestDb.CreateAsync("checkdb");
        var config = db.Config();
        config["database"] = "no_such_db";
        var check = await _connector.CheckAsync(config, CancellationToken.None);
        Assert.Equal($"database 'no_such_db' does not exist on PostgreSQL at 127.0.0.1:{db.Server.Port}; check database", check.Message);

        config = db.Config();
        config["schemas"] = new JsonArray("public", "nope");
        check = await _connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains("'nope' not found", check.Message);
    }
}
