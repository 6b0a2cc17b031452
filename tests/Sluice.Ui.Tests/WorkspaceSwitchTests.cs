using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>The workspace switcher, the empty states of a new workspace, and that every request stays on Sluice's own origin.</summary>
[Collection(UiCollection.Name)]
public sealed class WorkspaceSwitchTests(UiHost host)
{
    [Fact]
    public async Task Switching_to_a_new_workspace_shows_its_empty_states_and_no_asset_comes_from_elsewhere()
    {
        var page = await host.SignedInPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => { lock (requested) requested.Add(request.Url); };
        await UiHost.ApiAsync(page, "POST", "/workspaces", """{"name":"ui-empty"}""");
        await page.ReloadAsync(); // loads every asset again, now under watch

        var switcher = page.GetByLabel("Workspace", new() { Exact = true });
        await switcher.SelectOptionAsync("ui-empty");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/connections$"));
        await Expect(page.Locator(".empty")).ToContainTextAsync("No connections yet");
        await Expect(page.Locator(".empty")).ToContainTextAsync("Start by adding a source.");
        await UiHost.ScreenshotAsync(page, "empty-workspace");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        await Expect(page.Locator(".empty")).ToContainTextAsync("No sources yet");
        await page.GetByRole(AriaRole.Link, new() { Name = "DAGs", Exact = true }).ClickAsync();
        await Expect(page.Locator(".empty")).ToContainTextAsync("No DAGs yet");
        // The choice outlives a reload.
        await page.ReloadAsync();
        await Expect(switcher).ToHaveValueAsync("ui-empty");
        await Expect(page.Locator(".empty")).ToContainTextAsync("No DAGs yet");

        // Back in the default workspace its connections are there again.
        await switcher.SelectOptionAsync("default");
        await Expect(page.GetByTestId("connections-table")).ToContainTextAsync("demo");

        lock (requested)
        {
            Assert.Contains(requested, url => url.EndsWith(".css", StringComparison.Ordinal));
            Assert.Contains(requested, url => url.EndsWith(".js", StringComparison.Ordinal));
            Assert.All(requested, url => Assert.StartsWith(host.Address, url, StringComparison.Ordinal));
        }
    }
}
