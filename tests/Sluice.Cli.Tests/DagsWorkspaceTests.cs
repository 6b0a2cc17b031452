using Sluice.Metadata;

namespace Sluice.Cli.Tests;

/// <summary><c>sluice dags list|trigger --workspace</c>: DAGs are listed and resolved in one workspace, like the API.</summary>
public sealed class DagsWorkspaceTests
{
    [Fact]
    public async Task List_and_trigger_act_in_the_named_workspace_only()
    {
        var dir = SluiceCli.TempDir();
        var data = Path.Combine(dir, "data");
        var home = Path.Combine(dir, "home.yaml");
        var team = Path.Combine(dir, "team.yaml");
        await File.WriteAllTextAsync(home, "name: home-dag\ntasks:\n  - id: t\n    type: noop\n");
        await File.WriteAllTextAsync(team, "name: team-dag\ntasks:\n  - id: t\n    type: noop\n");
        Assert.Equal(0, (await SluiceCli.RunAsync(data, null, "dags", "apply", "-f", home)).ExitCode);
        await using (var store = MetadataStoreFactory.Open(Path.Combine(data, "sluice.db")))
            await store.Workspaces.CreateAsync("team");
        var applied = await SluiceCli.RunAsync(data, null, "dags", "apply", "-f", team, "--workspace", "team");
        Assert.True(applied.ExitCode == 0, applied.All);

        var defaultList = await SluiceCli.RunAsync(data, null, "dags", "list");
        Assert.Equal(0, defaultList.ExitCode);
        Assert.Contains("home-dag", defaultList.Stdout);
        Assert.DoesNotContain("team-dag", defaultList.Stdout);
        var teamList = await SluiceCli.RunAsync(data, null, "dags", "list", "-w", "team");
        Assert.Equal(0, teamList.ExitCode);
        Assert.Contains("team-dag", teamList.Stdout);
        Assert.DoesNotContain("home-dag", teamList.Stdout);

        // A DAG of another workspace is not reached without naming it; the error says which option would.
        var outside = await SluiceCli.RunAsync(data, null, "dags", "trigger", "team-dag");
        Assert.NotEqual(0, outside.ExitCode);
        Assert.Contains("--workspace team", outside.All);
        Assert.Contains("not in workspace 'default'", outside.All);
        var inside = await SluiceCli.RunAsync(data, null, "dags", "trigger", "team-dag", "--workspace", "team");
        Assert.True(inside.ExitCode == 0, inside.All);
        Assert.Matches(@"run \d+ queued", inside.Stdout);
        await using (var store = MetadataStoreFactory.Open(Path.Combine(data, "sluice.db")))
            Assert.Single(await store.Runs.ListRunsAsync("team-dag", null, 10));

        var unknown = await SluiceCli.RunAsync(data, null, "dags", "list", "--workspace", "nowhere");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("--workspace", unknown.All);
        Assert.Contains("no workspace 'nowhere'", unknown.All);
    }
}
