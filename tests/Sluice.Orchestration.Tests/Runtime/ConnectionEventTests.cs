using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Catalog;
using Sluice.Core.Model;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>DAGs that wait on connections' syncs: a succeeded sync job counts, a failed one never does.</summary>
public sealed class ConnectionEventTests
{
    [Fact]
    public async Task Any_runs_after_each_successful_sync_and_all_waits_for_every_connection()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var h = await Harness.SqliteAsync(time);
        var workspace = await h.Store.Workspaces.GetOrCreateDefaultAsync();
        Actor Actor(ActorKind kind, string name) => new() { Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Kind = kind, Name = name, Connector = "sample", Config = new JsonObject() };
        var source = await h.Store.Actors.CreateAsync(Actor(ActorKind.Source, "src"));
        var destination = await h.Store.Actors.CreateAsync(Actor(ActorKind.Destination, "dst"));
        var connections = new Dictionary<string, Guid>();
        foreach (var name in new[] { "orders", "customers" })
        {
            var connection = await h.Store.Connections.CreateAsync(new Connection
            {
                Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Name = name, SourceId = source.Id, DestinationId = destination.Id, Catalog = new ConfiguredCatalog([]),
            });
            connections[name] = connection.Id;
        }

        await h.Operations.ApplyAsync("""
            name: either
            on: { connections: [orders, customers], mode: any }
            tasks: [{ id: report, type: command, command: "true" }]
            ---
            name: both
            on: { connections: [orders, customers], mode: all }
            tasks: [{ id: report, type: command, command: "true" }]
            """);
        async Task<(int, int)> RunsAsync() => ((await h.Store.Runs.ListRunsAsync("either", null, 100)).Count, (await h.Store.Runs.ListRunsAsync("both", null, 100)).Count);
        // What the sync job runner records for one sync: a job, an attempt, and the job's end.
        async Task SyncAsync(string connection, JobStatus outcome)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var job = await h.Store.Jobs.CreateAsync(connections[connection], JobKind.Sync);
            var attempt = await h.Store.Jobs.StartAttemptAsync(job.Id);
            time.Advance(TimeSpan.FromSeconds(10));
            await h.Store.Jobs.FinishAttemptAsync(job.Id, attempt.Number, outcome, new SyncStats(), outcome == JobStatus.Succeeded ? null : "boom");
            await h.Store.Jobs.FinishAsync(job.Id, outcome, outcome == JobStatus.Succeeded ? null : "boom");
            time.Advance(TimeSpan.FromSeconds(10));
            await h.Scheduler.TickAsync(default);
        }

        await SyncAsync("customers", JobStatus.Failed);
        Assert.Equal((0, 0), await RunsAsync());

        await SyncAsync("orders", JobStatus.Succeeded);
        Assert.Equal((1, 0), await RunsAsync());

        await SyncAsync("customers", JobStatus.Succeeded);
        Assert.Equal((2, 1), await RunsAsync());

        // Nothing new succeeded: no further runs however often the scheduler looks.
        time.Advance(TimeSpan.FromMinutes(5));
        await h.Scheduler.TickAsync(default);
        Assert.Equal((2, 1), await RunsAsync());
    }
}
