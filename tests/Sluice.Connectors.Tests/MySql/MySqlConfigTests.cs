using System.Text.Json.Nodes;
using Sluice.Core.Connectors;
using Sluice.Testing;
using static Sluice.Connectors.Tests.MySql.MySqlTestSupport;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlConfigTests
{
    [Fact]
    public void Spec_marks_password_secret_and_offers_the_protocol_destination_modes()
    {
        var spec = Connector.Spec();
        Assert.Equal("mysql", Connector.Name);
        Assert.Contains("password", spec.SecretPaths());
        // overwrite_dedup is supported too, but the Airbyte protocol's enum has no such value, so the spec cannot list it.
        Assert.Equal([Core.Catalog.DestinationSyncMode.Overwrite, Core.Catalog.DestinationSyncMode.Append, Core.Catalog.DestinationSyncMode.AppendDedup], spec.SupportedDestinationSyncModes);
        Assert.Equal(3306, spec.ConnectionSpecification["properties"]!["port"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public async Task Missing_host_is_named_in_check_and_thrown_by_discover()
    {
        var config = new JsonObject { ["database"] = "x", ["username"] = "u" };
        var check = await Connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains("host", check.Message);
        var e = await Assert.ThrowsAsync<ConfigValidationException>(() => Connector.DiscoverAsync(config, CancellationToken.None).AsTask());
        Assert.Contains("host: is required", e.Message);
    }

    [Theory]
    [InlineData("\"abc\"", "must be an integer")]
    [InlineData("70000", "must be at most 65535")]
    public async Task Bad_port_is_rejected_before_connecting(string port, string expected)
    {
        var config = new JsonObject { ["host"] = "127.0.0.1", ["port"] = JsonNode.Parse(port), ["database"] = "x", ["username"] = "u" };
        var check = await Connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains("port", check.Message);
        Assert.Contains(expected, check.Message);
        Assert.Throws<ConfigValidationException>(() => Connector.ReadAsync(config, new([]), Core.State.SyncState.Empty, CancellationToken.None));
    }

    [Fact]
    public async Task Ssl_mode_takes_a_string_or_airbyte_object_and_rejects_unknown_modes()
    {
        var server = await MariaDbServer.InstanceAsync();
        var config = Config(server, "mysql");
        config["ssl_mode"] = "disabled";
        Assert.True((await Connector.CheckAsync(config, CancellationToken.None)).Succeeded);
        config["ssl_mode"] = new JsonObject { ["mode"] = "preferred" };
        Assert.True((await Connector.CheckAsync(config, CancellationToken.None)).Succeeded);
        config["ssl_mode"] = "sometimes";
        var check = await Connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains("ssl_mode", check.Message);
    }

    [Fact]
    public async Task Check_succeeds_against_a_live_server()
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("check");
        Assert.Equal(CheckResult.Success, await Connector.CheckAsync(Config(server, database), CancellationToken.None));
    }

    [Fact]
    public async Task Check_reports_wrong_password_without_a_stack_trace()
    {
        var server = await MariaDbServer.InstanceAsync();
        var config = Config(server, "mysql");
        config["password"] = "wrong";
        var check = await Connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains("wrong username or password", check.Message);
        Assert.DoesNotContain(" at ", check.Message!.Replace($" at {server.Host}", ""));
    }

    [Fact]
    public async Task Check_reports_a_closed_port_and_discover_throws_unavailable()
    {
        var server = await MariaDbServer.InstanceAsync();
        var config = Config(server, "mysql");
        config["port"] = FreePort.Next();
        var check = await Connector.CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.StartsWith("cannot reach MySQL at 127.0.0.1:", check.Message);
        await Assert.ThrowsAsync<ConnectorUnavailableException>(() => Connector.DiscoverAsync(config, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Check_reports_an_unknown_database()
    {
        var server = await MariaDbServer.InstanceAsync();
        var check = await Connector.CheckAsync(Config(server, "no_such_db"), CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Equal($"database 'no_such_db' does not exist on 127.0.0.1:{server.Port}; create it or fix 'database'", check.Message);
    }
}
