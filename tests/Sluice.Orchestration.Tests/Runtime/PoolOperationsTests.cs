using Sluice.Core.Connectors;
using Sluice.Metadata;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>Pools are created, resized and deleted by people; DAGs may only name pools that exist.</summary>
public sealed class PoolOperationsTests
{
    [Fact]
    public async Task A_task_naming_a_pool_nobody_created_is_refused_at_apply_with_the_fix()
    {
        await using var h = await Harness.SqliteAsync();

        var ex = await Assert.ThrowsAsync<DagDefinitionException>(() =>
            h.Operations.ApplyAsync("name: loads\ntasks:\n  - { id: load, type: command, command: \"true\", pool: warehouse }"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("pool", error.Field);
        Assert.Contains("unknown pool 'warehouse'", error.Message);
        Assert.Contains("sluice pools set warehouse --slots N", error.Message);
        Assert.Null(await h.Store.Dags.GetAsync("loads"));
    }

    [Fact]
    public async Task Set_creates_and_resizes_a_pool_and_list_shows_slots_in_use()
    {
        await using var h = await Harness.SqliteAsync();
        var pools = new PoolOperations(h.Store, h.Catalog);

        await pools.SetAsync("warehouse", 2);
        await h.Operations.ApplyAsync("name: loads\ntasks:\n  - { id: load, type: command, command: \"true\", pool: warehouse }");
        await h.Operations.TriggerAsync("loads");
        await h.Scheduler.TickAsync(default);
        await pools.SetAsync("warehouse", 5);

        var listed = await pools.ListAsync();
        Assert.Contains(new PoolUsage("default", 128, 0), listed);
        Assert.Contains(new PoolUsage("warehouse", 5, 1), listed);
    }

    [Theory]
    [InlineData("bad name", 1, "name")]
    [InlineData("it's", 1, "name")]
    [InlineData("warehouse", -1, "slots")]
    [InlineData("warehouse", 100_001, "slots")]
    public async Task Bad_names_and_slot_counts_are_refused_naming_the_field(string name, int slots, string field)
    {
        await using var h = await Harness.SqliteAsync();
        var pools = new PoolOperations(h.Store, h.Catalog);

        var ex = await Assert.ThrowsAsync<ConfigException>(() => pools.SetAsync(name, slots));

        Assert.Equal(field, ex.Field);
        Assert.DoesNotContain(await pools.ListAsync(), p => p.Name == name);
    }

    [Fact]
    public async Task The_default_pool_and_pools_a_dag_still_names_cannot_be_deleted()
    {
        await using var h = await Harness.SqliteAsync();
        var pools = new PoolOperations(h.Store, h.Catalog);
        await pools.SetAsync("warehouse", 2);
        await pools.SetAsync("spare", 1);
        await h.Operations.ApplyAsync("name: loads\ntasks:\n  - { id: load, type: command, command: \"true\", pool: warehouse }");

        var notDefault = await Assert.ThrowsAsync<ConfigException>(() => pools.DeleteAsync("default"));
        var inUse = await Assert.ThrowsAsync<ConfigException>(() => pools.DeleteAsync("warehouse"));
        await Assert.ThrowsAsync<NotFoundException>(() => pools.DeleteAsync("nowhere"));
        await pools.DeleteAsync("spare");

        Assert.Contains("cannot be deleted", notDefault.Message);
        Assert.Contains("used by DAG(s) loads", inUse.Message);
        Assert.Equal(["default", "warehouse"], (await pools.ListAsync()).Select(p => p.Name));
    }
}
