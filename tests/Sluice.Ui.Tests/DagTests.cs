using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>DAGs in the browser: apply one from YAML, trigger it, watch the runs × tasks grid turn green, read a task's log.</summary>
[Collection(UiCollection.Name)]
public sealed class DagTests(UiHost host)
{
    private const string Yaml = """
        name: ui-nightly
        schedule: manual
        tasks:
          - id: extract
            type: command
            command: sh
            args: ["-c", "echo extracted from the ui test"]
          - id: load
            type: command
            command: "true"
            depends_on: [extract]
        """;

    [Fact]
    public async Task Applies_triggers_and_shows_the_grid_and_a_task_log()
    {
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "DAGs", Exact = true }).ClickAsync();
        await page.GetByLabel("DAG YAML").FillAsync(Yaml);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = page.GetByTestId("dags-table").Locator("tr[data-dag=ui-nightly]");
        await Expect(row).ToContainTextAsync("manual");
        await UiHost.ScreenshotAsync(page, "dags");

        await row.GetByRole(AriaRole.Button, new() { Name = "Trigger" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dags/ui-nightly"));
        var grid = page.GetByTestId("dag-grid");
        await Expect(grid.Locator("tr[data-task=extract] .cell")).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await Expect(grid.Locator("tr[data-task=load] .cell")).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await grid.Locator("tr[data-task=extract] .cell").ClickAsync();
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("extracted from the ui test");
        await UiHost.ScreenshotAsync(page, "dag-grid");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unpause" })).ToBeVisibleAsync();
    }
}
