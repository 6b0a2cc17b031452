using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Catalog;
using Sluice.Core.Model;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>A scheduled connection is a one-task DAG the scheduler keeps for it.</summary>
public sealed class ConnectionScheduleTests
{
    [Fact]
    public async Task A_scheduled_connection_gets_a_sync_dag_that_runs_on_its_schedule_and_pauses_with_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 10, 0, TimeSpan.Zero));
        await using var h = await Harness.SqliteAsync(time);
        var workspace = await h.Store.Workspaces.GetOrCreateDefaultAsync();
        Actor Actor(ActorKind kind, string name) => new() { Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Kind = kind, Name = name, Connector = "sample", Config = new JsonObject() };
        var source = await h.Store.Actors.CreateAsync(Actor(ActorKind.Source, "src"));
        var destination = await h.Store.Actors.CreateAsync(Actor(ActorKind.Destination, "dst"));
        var connection = await h.Store.Connections.CreateAsync(new Connection
        {
            Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Name = "orders", SourceId = source.Id, DestinationId = destination.Id,
            Catalog = new ConfiguredCatalog([]), Schedule = "@hourly",
        });

        await h.Scheduler.TickAsync(default);
        var dag = await h.Operations.DefinitionAsync("connection:orders");
        Assert.Equal("sync", Assert.Single(dag.Tasks).Type);
        Assert.Empty(await h.Store.Runs.ListRunsAsync("connection:orders", null, 10));

        // The first interval starts at the first boundary after the DAG appeared (13:00) and is due when it ends (14:00).
        time.Advance(TimeSpan.FromMinutes(115));
        await h.Scheduler.TickAsync(default);
        var run = Assert.Single(await h.Store.Runs.ListRunsAsync("connection:orders", null, 10));
        Assert.Equal((RunTypes.Scheduled, new DateTimeOffset(2025, 6, 1, 13, 0, 0, TimeSpan.Zero)), (run.RunType, run.LogicalDate));

        await h.Store.Connections.UpdateAsync(connection with { Status = ConnectionStatus.Paused });
        time.Advance(TimeSpan.FromMinutes(11));
        await h.Scheduler.TickAsync(default);
        Assert.True((await h.Store.Dags.GetAsync("connection:orders"))!.Paused);
    }
}
