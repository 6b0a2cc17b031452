using System.Text.Json.Nodes;
using Sluice.Core.Model;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task Actor_round_trips_with_version_one_and_clock_times()
    {
        var workspace = await WorkspaceAsync();
        var config = new JsonObject { ["host"] = "db", ["port"] = 5432, ["tables"] = new JsonArray("a", "b"), ["ssl"] = new JsonObject { ["mode"] = "verify-full" }, ["note"] = "naïve ☃" };
        var input = new Actor { Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Kind = ActorKind.Source, Name = "app-db", Connector = "postgres", Config = config, Version = 7 };

        var created = await Store.Actors.CreateAsync(input);
        var read = await Store.Actors.GetAsync(input.Id);

        Assert.Equal(1, created.Version);
        Assert.Equal(Now, created.CreatedAt);
        Assert.Equal(Now, created.UpdatedAt);
        Assert.NotNull(read);
        Assert.Equal((input.Id, workspace.Id, ActorKind.Source, "app-db", "postgres", 1, Now, Now),
            (read.Id, read.WorkspaceId, read.Kind, read.Name, read.Connector, read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.True(JsonNode.DeepEquals(config, read.Config), read.Config.ToJsonString());
        Assert.Null(await Store.Actors.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Actor_names_are_unique_per_workspace_and_kind()
    {
        var team = await WorkspaceAsync("team");
        var other = await WorkspaceAsync("other");
        await ActorAsync(team.Id, ActorKind.Source, "shared");

        await ActorAsync(team.Id, ActorKind.Destination, "shared");
        await ActorAsync(other.Id, ActorKind.Source, "shared");
        var error = await Assert.ThrowsAsync<DuplicateNameException>(() => ActorAsync(team.Id, ActorKind.Source, "shared"));

        Assert.Contains("source named 'shared'", error.Message, StringComparison.Ordinal);
        Assert.Single(await Store.Actors.ListAsync(team.Id, ActorKind.Source));
    }

    [Fact]
    public async Task Actor_in_a_missing_workspace_is_refused()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => ActorAsync(Guid.NewGuid(), ActorKind.Source, "orphan"));
    }

    [Fact]
    public async Task Actors_are_found_by_name_and_listed_by_workspace_and_kind()
    {
        var team = await WorkspaceAsync("team");
        var other = await WorkspaceAsync("other");
        var zeta = await ActorAsync(team.Id, ActorKind.Source, "zeta");
        await ActorAsync(team.Id, ActorKind.Source, "alpha");
        await ActorAsync(team.Id, ActorKind.Destination, "lake");
        await ActorAsync(other.Id, ActorKind.Source, "elsewhere");

        Assert.Equal(zeta.Id, (await Store.Actors.FindByNameAsync(team.Id, ActorKind.Source, "zeta"))?.Id);
        Assert.Null(await Store.Actors.FindByNameAsync(team.Id, ActorKind.Destination, "zeta"));
        Assert.Null(await Store.Actors.FindByNameAsync(other.Id, ActorKind.Source, "zeta"));
        Assert.Equal(new[] { "alpha", "zeta" }, (await Store.Actors.ListAsync(team.Id, ActorKind.Source)).Select(a => a.Name));
        Assert.Equal(new[] { "lake" }, (await Store.Actors.ListAsync(team.Id, ActorKind.Destination)).Select(a => a.Name));
        Assert.Empty(await Store.Actors.ListAsync(other.Id, ActorKind.Destination));
    }

    [Fact]
    public async Task Actor_update_bumps_the_version_and_keeps_the_creation_time()
    {
        var workspace = await WorkspaceAsync();
        var actor = await ActorAsync(workspace.Id, ActorKind.Source, "app-db");
        var createdAt = Now;
        Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await Store.Actors.UpdateAsync(actor with { Name = "app-db-replica", Connector = "mysql", Config = new JsonObject { ["host"] = "replica" } });
        var read = await Store.Actors.GetAsync(actor.Id);

        Assert.Equal(2, updated.Version);
        Assert.Equal(createdAt, updated.CreatedAt);
        Assert.Equal(Now, updated.UpdatedAt);
        Assert.NotNull(read);
        Assert.Equal(("app-db-replica", "mysql", 2, createdAt, Now), (read.Name, read.Connector, read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.Equal("replica", read.Config["host"]!.GetValue<string>());
        Assert.Equal(3, (await Store.Actors.UpdateAsync(read)).Version);
    }

    [Fact]
    public async Task Stale_actor_update_is_refused_and_changes_nothing()
    {
        var workspace = await WorkspaceAsync();
        var actor = await ActorAsync(workspace.Id, ActorKind.Source, "app-db");
        await Store.Actors.UpdateAsync(actor with { Connector = "first-writer" });

        var error = await Assert.ThrowsAsync<ConcurrencyException>(() => Store.Actors.UpdateAsync(actor with { Connector = "second-writer" }));

        Assert.Contains("expected version 1", error.Message, StringComparison.Ordinal);
        var read = await Store.Actors.GetAsync(actor.Id);
        Assert.Equal(("first-writer", 2), (read!.Connector, read.Version));
    }

    [Fact]
    public async Task Concurrent_updates_of_one_version_let_exactly_one_win()
    {
        var workspace = await WorkspaceAsync();
        var actor = await ActorAsync(workspace.Id, ActorKind.Source, "app-db");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await OpenAgain().Actors.UpdateAsync(actor with { Connector = $"writer-{i}" });
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
        Assert.Equal(2, (await Store.Actors.GetAsync(actor.Id))!.Version);
    }

    [Fact]
    public async Task Actor_update_of_a_missing_actor_or_to_a_taken_name_is_refused()
    {
        var workspace = await WorkspaceAsync();
        var first = await ActorAsync(workspace.Id, ActorKind.Source, "first");
        var second = await ActorAsync(workspace.Id, ActorKind.Source, "second");

        await Assert.ThrowsAsync<NotFoundException>(() => Store.Actors.UpdateAsync(first with { Id = Guid.NewGuid() }));
        await Assert.ThrowsAsync<DuplicateNameException>(() => Store.Actors.UpdateAsync(second with { Name = "first" }));
        Assert.Equal(("second", 1), ((await Store.Actors.GetAsync(second.Id))!.Name, (await Store.Actors.GetAsync(second.Id))!.Version));
    }

    [Fact]
    public async Task Actor_delete_reports_whether_it_existed()
    {
        var workspace = await WorkspaceAsync();
        var actor = await ActorAsync(workspace.Id, ActorKind.Destination, "lake");

        Assert.True(await Store.Actors.DeleteAsync(actor.Id));
        Assert.Null(await Store.Actors.GetAsync(actor.Id));
        Assert.False(await Store.Actors.DeleteAsync(actor.Id));
        await ActorAsync(workspace.Id, ActorKind.Destination, "lake");
    }

    [Fact]
    public async Task Actor_used_by_a_connection_cannot_be_deleted()
    {
        var connection = await ConnectionAsync("orders");

        var source = await Assert.ThrowsAsync<InUseException>(() => Store.Actors.DeleteAsync(connection.SourceId));
        var destination = await Assert.ThrowsAsync<InUseException>(() => Store.Actors.DeleteAsync(connection.DestinationId));

        Assert.Equal("source 'app-db' is used by connection 'orders'; delete or change those first", source.Message);
        Assert.Contains("destination 'warehouse'", destination.Message, StringComparison.Ordinal);
        Assert.NotNull(await Store.Actors.GetAsync(connection.SourceId));

        await Store.Connections.DeleteAsync(connection.Id);
        Assert.True(await Store.Actors.DeleteAsync(connection.SourceId));
    }
}
