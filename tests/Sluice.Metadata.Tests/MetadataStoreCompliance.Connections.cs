using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Model;
using Sluice.Core.State;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task Connection_round_trips_every_field_and_its_catalog()
    {
        var connection = await ConnectionAsync();
        var read = await Store.Connections.GetAsync(connection.Id);

        Assert.Equal((1, Now, Now), (connection.Version, connection.CreatedAt, connection.UpdatedAt));
        Assert.NotNull(read);
        Assert.Equal(
            (connection.Id, connection.WorkspaceId, "orders-to-warehouse", connection.SourceId, connection.DestinationId, "0 */6 * * *", ConnectionStatus.Paused, "app_", "raw", SchemaChangePolicy.PropagateAll, 1, Now, Now),
            (read.Id, read.WorkspaceId, read.Name, read.SourceId, read.DestinationId, read.Schedule, read.Status, read.Prefix, read.DestinationNamespace, read.SchemaChangePolicy, read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.Equal(Json(Catalog()), Json(read.Catalog));
        var stream = Assert.Single(read.Catalog.Streams);
        Assert.Equal((new StreamDescriptor("orders", "public"), SyncMode.Incremental, DestinationSyncMode.AppendDedup, "orders_v2"),
            (stream.Descriptor, stream.SyncMode, stream.DestinationSyncMode, stream.DestinationName));
        Assert.Equal(ColumnMappingKind.Hash, Assert.Single(stream.Mappings).Kind);
    }

    [Fact]
    public async Task Connection_optional_fields_round_trip_as_null()
    {
        var workspace = await Store.Workspaces.GetOrCreateDefaultAsync();
        var source = await ActorAsync(workspace.Id, ActorKind.Source, "s");
        var destination = await ActorAsync(workspace.Id, ActorKind.Destination, "d");

        var created = await Store.Connections.CreateAsync(NewConnection(workspace.Id, "bare", source.Id, destination.Id) with
        {
            Schedule = null, Prefix = null, DestinationNamespace = null, Status = ConnectionStatus.Active, SchemaChangePolicy = SchemaChangePolicy.Ignore, Catalog = new ConfiguredCatalog([]),
        });
        var read = (await Store.Connections.GetAsync(created.Id))!;

        Assert.Equal((null, null, null, ConnectionStatus.Active, SchemaChangePolicy.Ignore), (read.Schedule, read.Prefix, read.DestinationNamespace, read.Status, read.SchemaChangePolicy));
        Assert.Empty(read.Catalog.Streams);
    }

    [Fact]
    public async Task Connection_overviews_count_the_streams_of_the_stored_catalog()
    {
        var connection = await ConnectionAsync("counted");
        async Task<int> CountAsync() => Assert.Single(await Store.Connections.ListOverviewsAsync(connection.WorkspaceId, 10, null)).StreamCount;

        Assert.Equal(1, await CountAsync());
        var two = new ConfiguredCatalog([.. connection.Catalog.Streams, connection.Catalog.Streams[0] with { DestinationName = "orders_copy" }]);
        var updated = await Store.Connections.UpdateAsync(connection with { Catalog = two });
        Assert.Equal(2, await CountAsync());
        await Store.Connections.UpdateAsync(updated with { Catalog = new ConfiguredCatalog([]) });
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Connection_overviews_carry_every_field_page_by_name_stay_in_their_workspace_and_see_changes_at_once()
    {
        var other = await WorkspaceAsync();
        var elsewhere = await ConnectionAsync("a-elsewhere", other);
        var b = await ConnectionAsync("b");
        var a = await ConnectionAsync("a");
        var c = await ConnectionAsync("c");

        var first = await Store.Connections.ListOverviewsAsync(a.WorkspaceId, 2, null);
        Assert.Equal(["a", "b"], first.Select(o => o.Name));
        var o = first[0];
        Assert.Equal(
            (a.Id, a.WorkspaceId, a.SourceId, a.DestinationId, 1, "0 */6 * * *", (string?)null, ConnectionStatus.Paused, "app_", "raw", SchemaChangePolicy.PropagateAll, 1, a.CreatedAt, a.UpdatedAt),
            (o.Id, o.WorkspaceId, o.SourceId, o.DestinationId, o.StreamCount, o.Schedule, o.TimeZone, o.Status, o.Prefix, o.DestinationNamespace, o.SchemaChangePolicy, o.Version, o.CreatedAt, o.UpdatedAt));
        Assert.Equal(["c"], (await Store.Connections.ListOverviewsAsync(a.WorkspaceId, 2, "b")).Select(x => x.Name));
        Assert.Equal([elsewhere.Id], (await Store.Connections.ListOverviewsAsync(other.Id, 10, null)).Select(x => x.Id));

        // The same query again (a kept connection and statement on SQLite) sees a change made in between.
        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.Connections.UpdateAsync(b with { Status = ConnectionStatus.Active, Prefix = null, TimeZone = "Europe/Paris" });
        await Store.Connections.DeleteAsync(c.Id);
        var again = await Store.Connections.ListOverviewsAsync(a.WorkspaceId, 10, null);
        Assert.Equal(["a", "b"], again.Select(x => x.Name));
        Assert.Equal((ConnectionStatus.Active, (string?)null, "Europe/Paris", 2, Now), (again[1].Status, again[1].Prefix, again[1].TimeZone, again[1].Version, again[1].UpdatedAt));
    }

    [Fact]
    public async Task Connection_overviews_asked_for_again_show_a_change_committed_in_between_by_another_store_or_on_the_reading_connection()
    {
        var a = await ConnectionAsync("a");
        var b = await ConnectionAsync("b");
        var other = OpenAgain(); // as a second server process sharing the store would
        async Task<IReadOnlyList<ConnectionOverview>> ListAsync() => await Store.Connections.ListOverviewsAsync(a.WorkspaceId, 10, null);

        // Unchanged data asked for repeatedly (what SQLite may answer from the rows it read last time) stays the same.
        var first = await ListAsync();
        Assert.Equal(first, await ListAsync());
        Assert.Equal(first, await ListAsync());

        // A commit by another store on the same database shows on the very next read.
        Time.Advance(TimeSpan.FromSeconds(1));
        var activated = await other.Connections.UpdateAsync(b with { Status = ConnectionStatus.Active });
        var afterOther = await ListAsync();
        Assert.Equal((ConnectionStatus.Active, 2, Now), (afterOther[1].Status, afterOther[1].Version, afterOther[1].UpdatedAt));
        await other.Connections.DeleteAsync(a.Id);
        Assert.Equal(["b"], (await ListAsync()).Select(x => x.Name));

        // So does a write made through this store, and one made on a connection this store reads with.
        await ConnectionAsync("c");
        Assert.Equal(["b", "c"], (await ListAsync()).Select(x => x.Name));
        await ExecuteAsync(Store, "UPDATE connections SET prefix = 'written_here_' WHERE name = 'b'");
        Assert.Equal("written_here_", (await ListAsync())[0].Prefix);
        Assert.Equal(activated.Id, (await ListAsync())[0].Id);
    }

    [Fact]
    public async Task Connection_names_are_unique_per_workspace()
    {
        var first = await ConnectionAsync("orders");
        var other = await WorkspaceAsync("other");
        await ConnectionAsync("orders", other);

        var error = await Assert.ThrowsAsync<DuplicateNameException>(() => Store.Connections.CreateAsync(first with { Id = Guid.NewGuid() }));

        Assert.Contains("connection named 'orders'", error.Message, StringComparison.Ordinal);
        Assert.Single(await Store.Connections.ListAsync(first.WorkspaceId));
    }

    [Fact]
    public async Task Connection_ends_must_exist_and_be_of_the_right_kind()
    {
        var connection = await ConnectionAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => Store.Connections.CreateAsync(connection with { Id = Guid.NewGuid(), Name = "x", SourceId = Guid.NewGuid() }));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Connections.CreateAsync(connection with { Id = Guid.NewGuid(), Name = "y", DestinationId = Guid.NewGuid() }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Connections.CreateAsync(connection with
        {
            Id = Guid.NewGuid(), Name = "z", SourceId = connection.DestinationId, DestinationId = connection.SourceId,
        }));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Connections.UpdateAsync(connection with { SourceId = Guid.NewGuid() }));
        Assert.Single(await Store.Connections.ListAsync(connection.WorkspaceId));
    }

    [Fact]
    public async Task Connections_are_found_by_name_and_listed_by_workspace()
    {
        var b = await ConnectionAsync("b");
        var a = await ConnectionAsync("a");
        var other = await WorkspaceAsync("other");
        await ConnectionAsync("c", other);

        Assert.Equal(a.Id, (await Store.Connections.FindByNameAsync(a.WorkspaceId, "a"))?.Id);
        Assert.Null(await Store.Connections.FindByNameAsync(other.Id, "a"));
        Assert.Null(await Store.Connections.GetAsync(Guid.NewGuid()));
        Assert.Equal(new[] { a.Id, b.Id }, (await Store.Connections.ListAsync(a.WorkspaceId)).Select(c => c.Id));
        Assert.Equal(new[] { "c" }, (await Store.Connections.ListAsync(other.Id)).Select(c => c.Name));
    }

    [Fact]
    public async Task Connection_update_is_optimistic()
    {
        var connection = await ConnectionAsync();
        var createdAt = Now;
        Time.Advance(TimeSpan.FromHours(1));

        var updated = await Store.Connections.UpdateAsync(connection with
        {
            Name = "renamed", Schedule = null, Status = ConnectionStatus.Active, Catalog = Catalog("id"), SchemaChangePolicy = SchemaChangePolicy.Pause,
        });
        var stale = await Assert.ThrowsAsync<ConcurrencyException>(() => Store.Connections.UpdateAsync(connection with { Name = "lost" }));
        var read = (await Store.Connections.GetAsync(connection.Id))!;

        Assert.Equal((2, createdAt, Now), (updated.Version, updated.CreatedAt, updated.UpdatedAt));
        Assert.Equal(("renamed", null, ConnectionStatus.Active, SchemaChangePolicy.Pause, 2), (read.Name, read.Schedule, read.Status, read.SchemaChangePolicy, read.Version));
        Assert.Equal(["id"], read.Catalog.Streams[0].CursorField);
        Assert.Contains("expected version 1", stale.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Connections.UpdateAsync(read with { Id = Guid.NewGuid() }));
    }

    [Fact]
    public async Task Connection_update_to_a_taken_name_is_refused()
    {
        await ConnectionAsync("taken");
        var connection = await ConnectionAsync("mine");

        await Assert.ThrowsAsync<DuplicateNameException>(() => Store.Connections.UpdateAsync(connection with { Name = "taken" }));
        Assert.Equal("mine", (await Store.Connections.GetAsync(connection.Id))!.Name);
    }

    [Fact]
    public async Task Connection_delete_cascades_to_jobs_attempts_logs_and_state()
    {
        var doomed = await ConnectionAsync("doomed");
        var kept = await ConnectionAsync("kept");
        var job = await Store.Jobs.CreateAsync(doomed.Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(job.Id);
        await Store.Jobs.AppendAttemptLogAsync(job.Id, 1, "reading\n");
        await Store.State.SaveAsync(doomed.Id, new Checkpoint(new StreamDescriptor("orders"), JsonValue.Create(42)));
        await Store.State.SaveAsync(doomed.Id, new Checkpoint(null, new JsonObject { ["lsn"] = "0/16B3748" }));
        var keptJob = await Store.Jobs.CreateAsync(kept.Id, JobKind.Sync);
        await Store.Jobs.StartAttemptAsync(keptJob.Id);
        await Store.State.SaveAsync(kept.Id, new Checkpoint(new StreamDescriptor("orders"), JsonValue.Create(7)));

        Assert.True(await Store.Connections.DeleteAsync(doomed.Id));

        Assert.Null(await Store.Connections.GetAsync(doomed.Id));
        Assert.Null(await Store.Jobs.GetAsync(job.Id));
        Assert.Empty(await Store.Jobs.ListAttemptsAsync(job.Id));
        Assert.Empty(await Store.Jobs.ListAsync(doomed.Id, 10));
        Assert.Empty((await Store.State.GetAsync(doomed.Id)).Streams);
        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM jobs"));
        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM job_attempts"));
        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM sync_state"));
        Assert.NotNull(await Store.Jobs.GetAsync(keptJob.Id));
        Assert.False(await Store.Connections.DeleteAsync(doomed.Id));
    }
}
