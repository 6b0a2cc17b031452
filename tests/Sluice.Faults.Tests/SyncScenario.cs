using Sluice.Cli;
using Sluice.Core.Catalog;
using Sluice.Metadata;
using Sluice.Server.Hosting;
using Sluice.Testing;

namespace Sluice.Faults.Tests;

/// <summary>
/// One connection from a PostgreSQL source table to a PostgreSQL destination, defined with `sluice apply`, plus the
/// checks every fault test makes: the destination holds exactly the source's rows.
/// </summary>
internal sealed class SyncScenario
{
    public const string Digest = "select count(*) || ':' || coalesce(md5(string_agg(id || '|' || v || '|' || updated_at, ',' order by id)), '') from {0}";

    private SyncScenario(PostgresServer server, string source, string destination, string dataDir)
    {
        Server = server;
        Source = source;
        Destination = destination;
        DataDir = dataDir;
    }

    public PostgresServer Server { get; }
    public string Source { get; }
    public string Destination { get; }
    public string DataDir { get; }
    public static Dictionary<string, string> Env => new() { ["PG_TEST_PASSWORD"] = PostgresServer.Password };

    /// <summary>Rows share cursor values seven at a time, so range boundaries fall inside runs of equal cursors.</summary>
    public static async Task<SyncScenario> CreateAsync(string name, int rows, string syncMode, string destinationSyncMode, int checkpointRows)
    {
        var server = await PostgresServer.InstanceAsync();
        var source = await server.CreateDatabaseAsync(name + "src");
        var destination = await server.CreateDatabaseAsync(name + "dst");
        await server.ExecuteAsync(source, $"""
            create table items(id bigint primary key, v text not null, updated_at timestamptz not null);
            insert into items select g, 'row ' || g || repeat('x', 40), '2024-01-01'::timestamptz + (g / 7) * interval '1 second' from generate_series(1, {rows}) g;
            """);
        var dir = Path.Combine(Path.GetTempPath(), "sluice-faults-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var yaml = $"""
            sources:
              - name: src
                connector: postgres
                config: {"{"}host: 127.0.0.1, port: {server.Port}, database: {source}, username: postgres, password: "${"{"}env:PG_TEST_PASSWORD{"}"}", checkpoint_rows: {checkpointRows}{"}"}
            destinations:
              - name: dst
                connector: postgres
                config: {"{"}host: 127.0.0.1, port: {server.Port}, database: {destination}, username: postgres, password: "${"{"}env:PG_TEST_PASSWORD{"}"}", schema: raw{"}"}
            connections:
              - name: items
                source: src
                destination: dst
                streams:
                  - name: items
                    namespace: public
                    sync_mode: {syncMode}
                    destination_sync_mode: {destinationSyncMode}
                    cursor_field: [updated_at]
                    primary_key: [id]
            """;
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var apply = await SluiceProcess.RunAsync(dir, Env, "apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.Output);
        return new SyncScenario(server, source, destination, dir);
    }

    public SluiceProcess StartSync(params string[] extra) => SluiceProcess.Start(DataDir, Env, ["sync", "items", .. extra]);

    public async Task<string> SyncToCompletionAsync()
    {
        var (code, output) = await SluiceProcess.RunAsync(DataDir, Env, "sync", "items");
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>Back to a clean slate: no destination data, no state anywhere (in-process, to keep the loop fast).</summary>
    public async Task ResetAsync()
    {
        await Server.ExecuteAsync(Destination, "drop schema if exists raw cascade");
        await using var local = await LocalSluice.OpenAsync(new SluiceOptions { DataDir = DataDir, CreateDemo = false, RunJobs = false });
        var store = local.Get<IMetadataStore>();
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync();
        var connection = await store.Connections.FindByNameAsync(workspace.Id, "items");
        await store.State.ResetAsync(connection!.Id, null);
    }

    public Task<string?> SourceDigestAsync() => Server.ScalarAsync<string>(Source, string.Format(Digest, "items"));

    public Task<string?> DestinationDigestAsync() => Server.ScalarAsync<string>(Destination, string.Format(Digest, "raw.items"));

    public async Task<long> DuplicateKeysAsync() =>
        await Server.ScalarAsync<long>(Destination, "select count(*) - count(distinct id) from raw.items");

    /// <summary>Whether the destination committed the sync's last checkpoint (a state without a range position).</summary>
    public async Task<bool> IsCompleteAsync() =>
        await Server.ScalarAsync<long>(Destination, "select count(*) from pg_tables where schemaname = 'raw' and tablename = '_sluice_state'") > 0
        && await Server.ScalarAsync<long>(Destination, "select count(*) from raw._sluice_state where not state ? 'after'") > 0;

    /// <summary>Whether the destination committed part of the sync: a range checkpoint in _sluice_state or rows in the table.</summary>
    public async Task<bool> HasPartialCommitAsync() =>
        await Server.ScalarAsync<long>(Destination, "select count(*) from pg_tables where schemaname = 'raw' and tablename = '_sluice_state'") > 0
        && await Server.ScalarAsync<long>(Destination, "select count(*) from raw._sluice_state where state ? 'after'") > 0;

    /// <summary>Polls until the running sync has committed at least one range; false when it ended first.</summary>
    public async Task<bool> WaitForRangeAsync(SluiceProcess process)
    {
        while (!process.HasExited)
        {
            try
            {
                if (await HasPartialCommitAsync())
                    return true;
            }
            catch (Npgsql.PostgresException)
            {
                // The sync is creating the state table right now.
            }
            await Task.Delay(15);
        }
        return false;
    }
}
