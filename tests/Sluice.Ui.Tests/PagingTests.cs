using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>
/// Every list pages: with 3 rows per page (this browser's setting) connections, sources, a connection's jobs, DAGs, a
/// DAG's runs, tokens, users and the audit log show one page, and "Load more" brings the next ones from the API.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class PagingTests(UiHost host)
{
    private const int PageSize = 3;

    [Fact]
    public async Task Lists_longer_than_a_page_load_more_until_every_row_is_shown()
    {
        var page = await host.SignedInPageAsync();
        await page.EvaluateAsync($"localStorage.setItem('sluice.pageSize', '{PageSize}')");

        // Four of each (one page and a bit), named so they can be found among what other tests create.
        var dbPath = Path.Combine(Path.GetTempPath(), $"sluice-ui-paging-{Guid.NewGuid():N}.db");
        await UiHost.ApiAsync(page, "POST", "/destinations", $$$"""{"name":"paging-lite","connector":"sqlite","config":{"path":"{{{dbPath}}}"}}""");
        for (var i = 1; i <= 4; i++)
        {
            await UiHost.ApiAsync(page, "POST", "/sources", $$$"""{"name":"paging-gen-{{{i}}}","connector":"sample","config":{"customers":2,"products":2,"orders":3}}""");
            await UiHost.ApiAsync(page, "POST", "/connections", $$"""{"name":"paging-{{i}}","source":"paging-gen-{{i}}","destination":"paging-lite"}""");
            await UiHost.ApiAsync(page, "POST", "/tokens", $$"""{"name":"paging-token-{{i}}","role":"viewer"}""");
            await UiHost.ApiAsync(page, "POST", "/users", $$$"""{"name":"paging-user-{{{i}}}","password":"paging-password-{{{i}}}23","roles":{"default":"viewer"}}""");
            await UiHost.ApiAsync(page, "POST", "/dags", $"name: paging-dag-{i}\nschedule: manual\ntasks:\n  - id: only\n    type: command\n    command: \"true\"\n", "application/yaml");
        }

        await ExpectPagedAsync(page, "/connections", "connections-table", "tr[data-connection^=paging-]", 4, screenshot: "connections-paged");
        await ExpectPagedAsync(page, "/sources", "sources-table", "tr[data-actor^=paging-gen-]", 4);
        await ExpectPagedAsync(page, "/dags", "dags-table", "tr[data-dag^=paging-dag-]", 4);
        await ExpectPagedAsync(page, "/settings/tokens", "tokens-table", "tr[data-token^=paging-token-]", 4);
        await ExpectPagedAsync(page, "/settings/users", "users-table", "tr[data-user^=paging-user-]", 4);
        await ExpectPagedAsync(page, "/settings/audit", "audit-table", "tr", 20, allPages: false);

        // A connection's jobs: four syncs, three shown, the fourth after "Load older jobs".
        var connection = JsonNode.Parse(await UiHost.ApiAsync(page, "GET", "/connections/paging-1"))!["id"]!.GetValue<string>();
        for (var i = 0; i < 4; i++)
        {
            var job = JsonNode.Parse(await UiHost.ApiAsync(page, "POST", $"/connections/{connection}/sync"))!["id"]!.GetValue<long>();
            await WaitForJobAsync(page, job);
        }
        await page.GotoAsync($"/connections/{connection}");
        var jobs = page.GetByTestId("jobs-table").Locator("tbody tr");
        await Expect(jobs).ToHaveCountAsync(PageSize);
        await page.GetByRole(AriaRole.Button, new() { Name = "Load older jobs" }).ClickAsync();
        await Expect(jobs).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("jobs-table-count")).ToHaveTextAsync("4 shown");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load older jobs" })).ToHaveCountAsync(0);

        // A DAG's runs: four triggered runs, three columns in the grid, the oldest after "Load older runs".
        for (var i = 0; i < 4; i++)
            await UiHost.ApiAsync(page, "POST", "/dags/paging-dag-1/trigger", "{}");
        await page.GotoAsync("/dags/paging-dag-1");
        var columns = page.GetByTestId("dag-grid").Locator("thead th[data-run]");
        await Expect(columns).ToHaveCountAsync(PageSize);
        await UiHost.ScreenshotAsync(page, "dag-runs-paged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Load older runs" }).ClickAsync();
        await Expect(columns).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("runs-count")).ToHaveTextAsync("4 run(s) shown");
    }

    /// <summary>
    /// The list at <paramref name="path"/> shows exactly one page, then "Load more" adds pages until the button goes
    /// (or, for a list that keeps growing such as the audit log, until <paramref name="want"/> rows are shown).
    /// </summary>
    private static async Task ExpectPagedAsync(IPage page, string path, string testid, string rows, int want, bool allPages = true, string? screenshot = null)
    {
        await page.GotoAsync(path);
        var table = page.GetByTestId(testid);
        var body = table.Locator("tbody tr");
        await Expect(body).ToHaveCountAsync(PageSize);
        await Expect(page.GetByTestId(testid + "-count")).ToHaveTextAsync($"{PageSize} shown");
        if (screenshot is not null)
            await UiHost.ScreenshotAsync(page, screenshot);
        var more = page.GetByTestId("load-more");
        while (await more.IsVisibleAsync())
        {
            var before = await body.CountAsync();
            await more.ClickAsync();
            await Expect(table.Locator($"tbody tr:nth-child({before + 1})")).ToBeVisibleAsync();
            await Expect(more).Not.ToHaveTextAsync("Loading…");
            if (!allPages && await body.CountAsync() >= want)
                return;
        }
        Assert.True(allPages, $"{path}: the last page came before {want} rows");
        await Expect(table.Locator(rows)).ToHaveCountAsync(want);
        await Expect(page.GetByTestId(testid + "-count")).ToHaveTextAsync($"{await body.CountAsync()} shown");
    }

    private static async Task WaitForJobAsync(IPage page, long id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var status = JsonNode.Parse(await UiHost.ApiAsync(page, "GET", $"/jobs/{id}"))!["status"]!.GetValue<string>();
            if (status == "succeeded")
                return;
            Assert.NotEqual("failed", status);
            await page.WaitForTimeoutAsync(500);
        }
        throw new TimeoutException($"job {id} did not finish within 2 minutes");
    }
}
