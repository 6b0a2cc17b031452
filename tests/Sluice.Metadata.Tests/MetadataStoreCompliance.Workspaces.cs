using Sluice.Core.Model;

namespace Sluice.Metadata.Tests;

public abstract partial class MetadataStoreCompliance
{
    [Fact]
    public async Task Default_workspace_is_created_once_even_when_asked_for_concurrently()
    {
        var first = await Store.Workspaces.GetOrCreateDefaultAsync();
        var others = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => OpenAgain().Workspaces.GetOrCreateDefaultAsync())));

        Assert.Equal(Workspace.DefaultName, first.Name);
        Assert.Equal(Now, first.CreatedAt);
        Assert.All(others, w => Assert.Equal(first, w));
        Assert.Single(await Store.Workspaces.ListAsync());
    }

    [Fact]
    public async Task Default_workspace_created_concurrently_on_an_empty_database_is_one_row()
    {
        var all = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => OpenAgain().Workspaces.GetOrCreateDefaultAsync())));

        Assert.Single(all.Select(w => w.Id).Distinct());
        Assert.Equal(1, await CountAsync(Store, "SELECT count(*) FROM workspaces"));
    }

    [Fact]
    public async Task Workspaces_are_created_found_and_listed_by_name()
    {
        var beta = await Store.Workspaces.CreateAsync("beta");
        Time.Advance(TimeSpan.FromSeconds(1));
        var alpha = await Store.Workspaces.CreateAsync("alpha");

        Assert.Equal(Now, alpha.CreatedAt);
        Assert.Equal(beta, await Store.Workspaces.GetAsync(beta.Id));
        Assert.Equal(alpha, await Store.Workspaces.FindByNameAsync("alpha"));
        Assert.Null(await Store.Workspaces.GetAsync(Guid.NewGuid()));
        Assert.Null(await Store.Workspaces.FindByNameAsync("gamma"));
        Assert.Equal(["alpha", "beta"], (await Store.Workspaces.ListAsync()).Select(w => w.Name));
    }

    [Fact]
    public async Task Workspace_names_are_unique()
    {
        await Store.Workspaces.CreateAsync("team");

        var error = await Assert.ThrowsAsync<DuplicateNameException>(() => Store.Workspaces.CreateAsync("team"));

        Assert.Contains("'team'", error.Message, StringComparison.Ordinal);
        Assert.Single(await Store.Workspaces.ListAsync());
    }
}
