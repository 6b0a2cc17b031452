using Sluice.Cli;
using Sluice.Metadata;
using Sluice.Server.Hosting;
using Sluice.Testing;

namespace Sluice.Faults.Tests;

/// <summary>
/// One connection from a source <c>items</c> table to a destination (PostgreSQL or MariaDB on either side), defined
/// with `sluice apply`, plus the checks every fault test makes: the destination holds exactly the source's rows.
/// </summary>
internal sealed class SyncScenario
{
    private SyncScenario(ScenarioDatabase source, ScenarioDatabase destination, string dataDir)
    {
        Source = source;
        Destination = destination;
        DataDir = dataDir;
    }

    public ScenarioDatabase Source { get; }
    public ScenarioDatabase Destination { get; }
    public string DataDir { get; }

    public static Dictionary<string, string> Env => new()
    {
        ["PG_TEST_PASSWORD"] = PostgresServer.Password,
        ["MARIA_TEST_PASSWORD"] = MariaDbServer.Password,
    };

    public static async Task<SyncScenario> CreateAsync(string name, int rows, string syncMode, string destinationSyncMode, int checkpointRows,
        DbEngine sourceEngine = DbEngine.Postgres, DbEngine destinationEngine = DbEngine.Postgres, double? sourceCheckpointSeconds = null, bool keyless = false)
    {
        var source = await ScenarioDatabase.CreateAsync(sourceEngine, name + "src");
        var destination = await ScenarioDatabase.CreateAsync(destinationEngine, name + "dst");
        await source.CreateItemsAsync(rows, keyless);
        var dir = ScratchFolder.Create("sluice-faults-");
        var yaml = $"""
            sources:
              - name: src
                {source.ConnectorYaml(checkpointRows, destination: false, sourceCheckpointSeconds)}
            destinations:
              - name: dst
                {destination.ConnectorYaml(checkpointRows, destination: true)}
            connections:
              - name: items
                source: src
                destination: dst
                streams:
                  - name: items
                    namespace: {source.Namespace}
                    sync_mode: {syncMode}
                    destination_sync_mode: {destinationSyncMode}
                    cursor_field: [updated_at]
            {(keyless ? "" : "        primary_key: [id]")}
            """;
        var file = Path.Combine(dir, "defs.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var apply = await SluiceProcess.RunAsync(dir, Env, "apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.Output + "\n" + yaml);
        return new SyncScenario(source, destination, dir);
    }

    public SluiceDllProcess StartSync(params string[] extra) => SluiceProcess.Start(DataDir, Env, ["sync", "items", .. extra]);

    /// <summary>
    /// One `sluice sync` (one attempt) that dies at <paramref name="killPoint"/> (SLUICE_TEST_KILL_AT) or is killed
    /// from outside <paramref name="after"/> its start; the exit code is 137 when a SIGKILL ended it.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunKilledAsync(string? killPoint, TimeSpan? after)
    {
        var env = Env;
        if (killPoint is not null)
            env[Sluice.Engine.Pipeline.KillPoint.Variable] = killPoint;
        using var process = SluiceProcess.Start(DataDir, env, "sync", "items", "--attempts", "1");
        if (after is { } delay)
        {
            await Task.Delay(delay);
            await process.KillAsync();
        }
        await process.WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, process.Output);
    }

    /// <summary>Rows in the destination table; 0 before it exists.</summary>
    public async Task<long> DestinationRowsAsync() =>
        await Destination.TableExistsAsync("items") ? await Destination.ScalarAsync($"select count(*) from {Destination.ItemsTable(destination: true)}") : 0;

    public async Task<string> SyncToCompletionAsync()
    {
        var (code, output) = await SluiceProcess.RunAsync(DataDir, Env, "sync", "items");
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>Back to a clean slate: no destination data, no state anywhere (in-process, to keep the loop fast).</summary>
    public async Task ResetAsync()
    {
        await Destination.ClearAsync();
        await using var local = await LocalSluice.OpenAsync(new SluiceOptions { DataDir = DataDir, CreateDemo = false, RunJobs = false });
        var store = local.Get<IMetadataStore>();
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync();
        var connection = await store.Connections.FindByNameAsync(workspace.Id, "items");
        await store.State.ResetAsync(connection!.Id, null);
    }

    /// <summary>The attempts of the connection's latest job, in order, as the metadata store keeps them.</summary>
    public async Task<IReadOnlyList<Sluice.Core.Model.JobAttempt>> AttemptsOfLastJobAsync()
    {
        await using var local = await LocalSluice.OpenAsync(new SluiceOptions { DataDir = DataDir, CreateDemo = false, RunJobs = false });
        var store = local.Get<IMetadataStore>();
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync();
        var connection = await store.Connections.FindByNameAsync(workspace.Id, "items");
        var job = (await store.Jobs.ListAsync(connection!.Id, 1)).Single();
        return (await store.Jobs.ListAttemptsAsync(job.Id)).OrderBy(a => a.Number).ToList();
    }

    public Task<string> SourceDigestAsync() => Source.DigestAsync(destination: false);

    public Task<string> DestinationDigestAsync() => Destination.DigestAsync(destination: true);

    public Task<long> DuplicateKeysAsync() => Destination.DuplicateKeysAsync();

    /// <summary>Whether the destination committed the sync's last checkpoint (a state without a range position).</summary>
    public async Task<bool> IsCompleteAsync() => await Destination.StatesAsync(withRange: false) > 0;

    /// <summary>Whether the destination committed part of the sync: a range checkpoint in _sluice_state.</summary>
    public async Task<bool> HasPartialCommitAsync() => await Destination.StatesAsync(withRange: true) > 0;

    /// <summary>Polls until the running sync has committed at least one range; false when it ended first.</summary>
    public async Task<bool> WaitForRangeAsync(SluiceDllProcess process)
    {
        while (!process.HasExited)
        {
            try
            {
                if (await HasPartialCommitAsync())
                    return true;
            }
            catch (Exception e) when (ScenarioDatabase.IsTransient(e))
            {
                // The sync is creating the state table right now.
            }
            await Task.Delay(15);
        }
        return false;
    }
}
