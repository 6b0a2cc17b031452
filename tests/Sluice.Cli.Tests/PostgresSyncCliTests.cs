using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>The first real sync from a user's seat: YAML definitions applied with the CLI, then `sluice sync`, against real PostgreSQL.</summary>
public sealed class PostgresSyncCliTests
{
    private static Dictionary<string, string> Env() => new() { ["PG_TEST_PASSWORD"] = PostgresServer.Password };

    private static async Task<(PostgresServer Server, string Source, string Destination)> DatabasesAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync("clisrc");
        var destination = await server.CreateDatabaseAsync("clidst");
        await server.ExecuteAsync(source, """
            create schema "Sales";
            create table "Sales"."Order Items ✓"(id bigint primary key, "Amount" numeric(12,2), "select" text, created timestamptz);
            insert into "Sales"."Order Items ✓" select g, g / 100.0, 'row ' || g || ' 🎉', '2024-01-01'::timestamptz + g * interval '1 minute' from generate_series(1, 5000) g;
            """);
        return (server, source, destination);
    }

    private static string Yaml(PostgresServer server, string source, string destination, string password = "${env:PG_TEST_PASSWORD}") => $"""
        sources:
          - name: shop
            connector: postgres
            config: {"{"}host: 127.0.0.1, port: {server.Port}, database: {source}, username: postgres, password: "{password}", schemas: [Sales]{"}"}
        destinations:
          - name: warehouse
            connector: postgres
            config: {"{"}host: 127.0.0.1, port: {server.Port}, database: {destination}, username: postgres, password: "{password}", schema: raw{"}"}
        connections:
          - name: items
            source: shop
            destination: warehouse
            streams:
              - name: Order Items ✓
                namespace: Sales
                destination_sync_mode: overwrite
        """;

    [Fact]
    public async Task Apply_then_sync_copies_the_table_and_a_second_apply_changes_nothing()
    {
        var (server, source, destination) = await DatabasesAsync();
        var dir = SluiceCli.TempDir();
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, Yaml(server, source, destination));

        var apply = await SluiceCli.RunAsync(dir, Env(), "apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Contains("created   source shop", apply.Stdout);
        Assert.Contains("created   connection items", apply.Stdout);

        var again = await SluiceCli.RunAsync(dir, Env(), "apply", "-f", file);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(3, again.Stdout.Split('\n').Count(l => l.StartsWith("unchanged", StringComparison.Ordinal)));

        var sync = await SluiceCli.RunAsync(dir, Env(), "sync", "items");
        Assert.True(sync.ExitCode == 0, sync.All);
        Assert.Contains("succeeded", sync.Stdout);
        Assert.Contains("5,000 records", sync.Stdout);

        const string digest = """select count(*) || ':' || md5(string_agg(id || '|' || "Amount" || '|' || "select" || '|' || created, ',' order by id)) from {0}""";
        var expected = await server.ScalarAsync<string>(source, string.Format(digest, "\"Sales\".\"Order Items ✓\""));
        var actual = await server.ScalarAsync<string>(destination, string.Format(digest, "raw.\"Order Items ✓\""));
        Assert.Equal(expected, actual);
        Assert.Equal(5000, await server.ScalarAsync<long>(destination, "select count(distinct _sluice_sync_id) * 5000 from raw.\"Order Items ✓\""));
    }

    [Fact]
    public async Task A_literal_secret_in_a_definition_file_is_refused_and_nothing_is_applied()
    {
        var (server, source, destination) = await DatabasesAsync();
        var dir = SluiceCli.TempDir();
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, Yaml(server, source, destination, password: "hunter2"));

        var apply = await SluiceCli.RunAsync(dir, Env(), "apply", "-f", file);

        Assert.Equal(ExitCodes.InvalidInput, apply.ExitCode);
        Assert.Contains("sources.shop.config.password", apply.Stderr);
        Assert.Contains("${env:", apply.Stderr);
        Assert.DoesNotContain("hunter2", apply.All);
        var sync = await SluiceCli.RunAsync(dir, Env(), "sync", "items");
        Assert.Contains("connection 'items' does not exist", sync.Stderr);
    }

    [Fact]
    public async Task Broken_yaml_and_unknown_streams_get_errors_that_say_where()
    {
        var (server, source, destination) = await DatabasesAsync();
        var dir = SluiceCli.TempDir();
        var broken = Path.Combine(dir, "broken.yaml");
        await File.WriteAllTextAsync(broken, "sources:\n  - name: a\n    config: {host: [unclosed\n");
        var syntax = await SluiceCli.RunAsync(dir, Env(), "apply", "-f", broken);
        Assert.Equal(ExitCodes.InvalidInput, syntax.ExitCode);
        Assert.Contains("broken.yaml:", syntax.Stderr);
        Assert.Contains("invalid YAML", syntax.Stderr);

        var unknown = Path.Combine(dir, "unknown.yaml");
        await File.WriteAllTextAsync(unknown, Yaml(server, source, destination).Replace("name: Order Items ✓", "name: nope"));
        var stream = await SluiceCli.RunAsync(dir, Env(), "apply", "-f", unknown);
        Assert.Equal(ExitCodes.InvalidInput, stream.ExitCode);
        Assert.Contains("connections.items.streams[0].name: the source has no stream 'Sales.nope'", stream.Stderr);
        Assert.Contains("Sales.Order Items ✓", stream.Stderr);
    }

    [Fact]
    public async Task A_sync_to_an_unreachable_destination_fails_with_a_clear_message()
    {
        var (server, source, _) = await DatabasesAsync();
        var dir = SluiceCli.TempDir();
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, Yaml(server, source, "whatever").Replace($"port: {server.Port}, database: whatever", $"port: {FreePort.Next()}, database: whatever"));
        Assert.Equal(0, (await SluiceCli.RunAsync(dir, Env(), "apply", "-f", file)).ExitCode);

        var sync = await SluiceCli.RunAsync(dir, Env(), "sync", "items", "--attempts", "1");

        Assert.Equal(ExitCodes.Failed, sync.ExitCode);
        Assert.Contains("failed", sync.Stdout);
        Assert.Contains("cannot connect to PostgreSQL", sync.Stdout);
        Assert.DoesNotContain("   at ", sync.All);
    }
}
