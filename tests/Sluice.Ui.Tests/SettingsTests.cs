using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>Sign-in, API tokens (shown once, revoked), users and the audit log.</summary>
[Collection(UiCollection.Name)]
public sealed class SettingsTests(UiHost host)
{
    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/connections");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("wrong username or password");
        await UiHost.ScreenshotAsync(page, "sign-in");
    }

    [Fact]
    public async Task Creates_a_token_shows_it_once_and_revokes_it()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/settings/tokens");
        await page.GetByLabel("Token name").FillAsync("ci-deploy");
        await page.GetByLabel("Token role").SelectOptionAsync("editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Expect(page.GetByTestId("new-token")).Not.ToBeEmptyAsync();
        var row = page.GetByTestId("tokens-table").Locator("tr[data-token=ci-deploy]");
        await Expect(row).ToContainTextAsync("active");
        await UiHost.ScreenshotAsync(page, "tokens");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");

        await page.GetByRole(AriaRole.Link, new() { Name = "Users and roles" }).ClickAsync();
        await Expect(page.GetByTestId("users-table")).ToContainTextAsync("admin");
        await page.GetByLabel("New user name").FillAsync("ui-analyst");
        await page.GetByLabel("New user password").FillAsync("analyst-password-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var analyst = page.GetByTestId("users-table").Locator("tr[data-user=ui-analyst]");
        await Expect(analyst.GetByLabel("Role of ui-analyst")).ToHaveValueAsync("viewer");
        await analyst.GetByLabel("Role of ui-analyst").SelectOptionAsync("editor");
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Save role" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "User ui-analyst updated" })).ToBeVisibleAsync();
        await Expect(analyst.GetByLabel("Role of ui-analyst")).ToHaveValueAsync("editor");
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(analyst).ToContainTextAsync("disabled");
        await UiHost.ScreenshotAsync(page, "users");

        // A new workspace appears in the switcher at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Workspaces" }).ClickAsync();
        await page.GetByLabel("New workspace name").FillAsync("ui-team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        await Expect(page.GetByTestId("workspaces-table")).ToContainTextAsync("ui-team");
        await Expect(page.GetByLabel("Workspace", new() { Exact = true }).Locator("option[value=ui-team]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByTestId("audit-table")).ToContainTextAsync("token");
        await UiHost.ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task The_workers_tab_lists_a_registered_worker_and_the_active_scheduler()
    {
        await using var worker = await StandaloneProcess.StartWorkerAsync(host.DataDir, "ui-worker-1", "ui-only", "zone=ui-test");
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/settings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Workers" }).ClickAsync();
        var row = page.GetByTestId("workers-table").Locator("tr[data-worker=ui-worker-1]");
        await Expect(row).ToContainTextAsync("active");
        await Expect(row).ToContainTextAsync("0 / 2");
        await Expect(row).ToContainTextAsync("ui-only");
        await Expect(row).ToContainTextAsync("zone=ui-test");
        // The standalone's own scheduler holds the lease.
        await Expect(page.GetByTestId("active-scheduler")).ToContainTextAsync("scheduler-");
        await Expect(page.GetByTestId("workers-alive")).ToContainTextAsync("1 of");
        await UiHost.ScreenshotAsync(page, "workers");
    }
}
