using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Cli.Tests.SchemaEvolution;

/// <summary>`sluice connections ...` on a connection whose source schema changed, through the real binary.</summary>
public sealed class SchemaChangesCliTests
{
    [Fact]
    public async Task Schema_changes_are_listed_and_a_paused_connection_is_resumed_from_the_cli()
    {
        var pg = await PostgresServer.InstanceAsync();
        var source = await pg.CreateDatabaseAsync("clievo");
        var destination = await pg.CreateDatabaseAsync("clievodst");
        await pg.ExecuteAsync(source, "create table orders(id integer primary key, qty integer); insert into orders values (1, 10);");
        var env = new Dictionary<string, string> { ["PG_TEST_PASSWORD"] = PostgresServer.Password };
        var dir = SluiceCli.TempDir();
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, $$"""
            sources:
              - name: shop
                connector: postgres
                config: {host: 127.0.0.1, port: {{pg.Port}}, database: {{source}}, username: postgres, password: "${env:PG_TEST_PASSWORD}"}
            destinations:
              - name: warehouse
                connector: postgres
                config: {host: 127.0.0.1, port: {{pg.Port}}, database: {{destination}}, username: postgres, password: "${env:PG_TEST_PASSWORD}", schema: raw}
            connections:
              - name: items
                source: shop
                destination: warehouse
                schema_change_policy: pause
                streams:
                  - {name: orders, namespace: public, destination_sync_mode: append}
            """);
        Assert.Equal(0, (await SluiceCli.RunAsync(dir, env, "apply", "-f", file)).ExitCode);
        var first = await SluiceCli.RunAsync(dir, env, "sync", "items");
        Assert.True(first.ExitCode == 0, first.All);

        await pg.ExecuteAsync(source, "alter table orders add column note text; insert into orders values (2, 20, 'new');");
        var paused = await SluiceCli.RunAsync(dir, env, "sync", "items", "--attempts", "1");
        Assert.Equal(ExitCodes.Failed, paused.ExitCode);
        Assert.Contains("paused for source schema changes", paused.Stdout);

        var list = await SluiceCli.RunAsync(dir, env, "connections", "list");
        Assert.Contains("paused", list.Stdout);
        Assert.Contains("pause", list.Stdout);
        var table = await SluiceCli.RunAsync(dir, env, "connections", "schema-changes", "items");
        Assert.True(table.ExitCode == 0, table.All);
        Assert.Contains("column_added", table.Stdout);
        Assert.Contains("note", table.Stdout);
        var json = await SluiceCli.RunAsync(dir, env, "connections", "schema-changes", "items", "--format", "json");
        var change = Assert.Single(JsonNode.Parse(json.Stdout)!.AsArray())!;
        Assert.Equal(("column_added", "note", "paused"), (change["kind"]!.GetValue<string>(), change["column"]!.GetValue<string>(), change["action"]!.GetValue<string>()));

        var bad = await SluiceCli.RunAsync(dir, env, "connections", "set-policy", "items", "sometimes");
        Assert.Equal(ExitCodes.InvalidInput, bad.ExitCode);
        Assert.Contains("connection items.schema_change_policy: 'sometimes' is not a policy; use propagate_all, propagate_columns, ignore or pause", bad.Stderr);
        Assert.Equal(0, (await SluiceCli.RunAsync(dir, env, "connections", "set-policy", "items", "propagate_columns")).ExitCode);
        var resume = await SluiceCli.RunAsync(dir, env, "connections", "resume", "items");
        Assert.True(resume.ExitCode == 0, resume.All);
        Assert.Contains("connection items is active again, 1 schema change(s) accepted", resume.Stdout);
        var sync = await SluiceCli.RunAsync(dir, env, "sync", "items");
        Assert.True(sync.ExitCode == 0, sync.All);
        Assert.Equal("new", await pg.ScalarAsync<string>(destination, "select note from raw.orders where id = 2"));

        Assert.Equal(0, (await SluiceCli.RunAsync(dir, env, "connections", "pause", "items")).ExitCode);
        var refused = await SluiceCli.RunAsync(dir, env, "sync", "items");
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("connection items is paused; resume it", refused.Stdout);
        var missing = await SluiceCli.RunAsync(dir, env, "connections", "schema-changes", "nope");
        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
    }
}
