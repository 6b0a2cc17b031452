using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>
/// DAGs in the browser: apply from YAML, the graph of tasks, trigger (with params), the runs × tasks grid turning
/// green, task logs, clearing a task with its downstream, backfilling a date range, pausing.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class DagTests(UiHost host)
{
    private const string Nightly = """
        name: ui-nightly
        schedule: manual
        tasks:
          - id: extract
            type: command
            command: sh
            args: ["-c", "echo extracted from the ui test"]
          - id: transform
            type: command
            command: "true"
            depends_on: [extract]
          - id: load
            type: command
            command: "true"
            depends_on: [transform]
        """;

    private const string Daily = """
        name: ui-daily
        schedule: "0 0 * * *"
        params:
          greeting: hello
        tasks:
          - id: greet
            type: command
            command: sh
            args: ["-c", "echo {{ params.greeting }} for {{ ds }}"]
        """;

    [Fact]
    public async Task Applies_triggers_shows_graph_grid_and_log_and_clears_a_task_with_its_downstream()
    {
        var page = await host.SignedInPageAsync();
        await ApplyAsync(page, Nightly);
        var row = page.GetByTestId("dags-table").Locator("tr[data-dag=ui-nightly]");
        await Expect(row).ToContainTextAsync("manual");
        await Expect(row.GetByTestId("next-run")).ToHaveTextAsync("when triggered");

        await row.GetByRole(AriaRole.Button, new() { Name = "Trigger" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dags/ui-nightly"));
        // The graph: three tasks in dependency order, with the arrows between them.
        var graph = page.GetByTestId("dag-graph");
        await Expect(graph.Locator("g[data-task]")).ToHaveCountAsync(3);
        await Expect(graph.Locator("[data-edge='extract->transform']")).ToHaveCountAsync(1);
        await Expect(graph.Locator("[data-edge='transform->load']")).ToHaveCountAsync(1);

        var grid = page.GetByTestId("dag-grid");
        foreach (var task in new[] { "extract", "transform", "load" })
            await Expect(grid.Locator($"tr[data-task={task}] .cell")).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await Expect(graph.Locator("g[data-task=load]")).ToHaveAttributeAsync("data-state", "success");
        await grid.Locator("tr[data-task=extract] .cell").ClickAsync();
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("extracted from the ui test");
        await Expect(page.GetByTestId("task-log-state")).ToHaveTextAsync("complete");
        await UiHost.ScreenshotAsync(page, "dag-grid");

        // Clear extract and what follows it: all three run again, with a second attempt.
        var panel = page.GetByTestId("task-panel");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Clear with downstream" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("Cleared");
        foreach (var task in new[] { "extract", "transform", "load" })
            await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync(task);
        foreach (var task in new[] { "extract", "transform", "load" })
            await Expect(grid.Locator($"tr[data-task={task}] .cell")).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("attempt 2", new() { Timeout = 60_000 });
        await Expect(grid.Locator("thead th[data-run]")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unpause" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("dag-state")).ToHaveTextAsync("paused");
    }

    [Fact]
    public async Task Shows_the_next_run_triggers_with_params_and_backfills_a_date_range()
    {
        var page = await host.SignedInPageAsync();
        await ApplyAsync(page, Daily);
        var row = page.GetByTestId("dags-table").Locator("tr[data-dag=ui-daily]");
        await Expect(row).ToContainTextAsync("Every day at 00:00");
        await Expect(row.GetByTestId("next-run")).ToContainTextAsync("00:00 UTC");
        await UiHost.ScreenshotAsync(page, "dags");

        await row.GetByRole(AriaRole.Link, new() { Name = "ui-daily" }).ClickAsync();
        await Expect(page.GetByTestId("dag-next-run")).ToContainTextAsync("00:00 UTC");

        // Trigger with params: the default is prefilled and can be changed for this run.
        await page.GetByRole(AriaRole.Button, new() { Name = "Trigger", Exact = true }).ClickAsync();
        var form = page.GetByTestId("trigger-form");
        await Expect(form.GetByLabel("Param greeting")).ToHaveValueAsync("hello");
        await form.GetByLabel("Param greeting").FillAsync("hi from the ui");
        await form.GetByRole(AriaRole.Button, new() { Name = "Trigger run" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "triggered" })).ToBeVisibleAsync();
        var grid = page.GetByTestId("dag-grid");
        // The scheduler may add yesterday's scheduled run at any moment; the manual run is the one to look at.
        var manual = grid.Locator("tr[data-task=greet] .cell[data-run-type=manual]");
        await Expect(manual).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await manual.ClickAsync();
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("hi from the ui");

        // Backfill three days: one run per day that has none yet, marked B in the grid.
        await page.GetByRole(AriaRole.Button, new() { Name = "Backfill" }).ClickAsync();
        var today = DateTime.UtcNow.Date;
        await page.GetByLabel("Backfill from").FillAsync(today.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByLabel("Backfill to").FillAsync(today.ToString("yyyy-MM-dd'T'HH:mm"));
        await UiHost.ScreenshotAsync(page, "dag-backfill");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create backfill runs" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Backfill created" })).ToBeVisibleAsync();
        await Expect(grid.Locator("tr[data-task=greet] .cell[data-run-type=backfill]").First).ToBeVisibleAsync();
        foreach (var cell in await grid.Locator("tr[data-task=greet] .cell").AllAsync())
            await Expect(cell).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 60_000 });
        await UiHost.ScreenshotAsync(page, "dag");

        // A range with nothing in it is refused with the reason, in the form.
        await page.GetByRole(AriaRole.Button, new() { Name = "Backfill" }).ClickAsync();
        await page.GetByLabel("Backfill from").FillAsync(today.ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByLabel("Backfill to").FillAsync(today.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create backfill runs" }).ClickAsync();
        await Expect(page.GetByTestId("backfill-form").GetByRole(AriaRole.Alert)).ToContainTextAsync("range is empty");
    }

    private const string Marks = """
        name: ui-marks
        schedule: manual
        tasks:
          - id: flaky
            type: command
            command: sh
            args: ["-c", "echo about to fail; exit 3"]
          - id: report
            type: command
            command: sh
            args: ["-c", "echo report ran"]
            depends_on: [flaky]
        """;

    [Fact]
    public async Task Marks_a_failed_task_success_then_failed_from_its_panel()
    {
        var page = await host.SignedInPageAsync();
        await ApplyAsync(page, Marks);
        var row = page.GetByTestId("dags-table").Locator("tr[data-dag=ui-marks]");
        await row.GetByRole(AriaRole.Button, new() { Name = "Trigger" }).ClickAsync();
        var grid = page.GetByTestId("dag-grid");
        var flaky = grid.Locator("tr[data-task=flaky] .cell");
        await Expect(flaky).ToHaveAttributeAsync("data-state", "failed", new() { Timeout = 60_000 });
        await Expect(grid.Locator("tr[data-task=report] .cell")).ToHaveAttributeAsync("data-state", "upstream_failed", new() { Timeout = 60_000 });

        await flaky.ClickAsync();
        var panel = page.GetByTestId("task-panel");
        await Expect(panel.GetByTestId("task-state")).ToHaveTextAsync("failed");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Mark success" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("Marked flaky as success");
        await Expect(panel.GetByTestId("task-state")).ToHaveTextAsync("success");
        await Expect(flaky).ToHaveAttributeAsync("data-state", "success");
        await UiHost.ScreenshotAsync(page, "dag-mark");

        await panel.GetByRole(AriaRole.Button, new() { Name = "Mark failed" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("Marked flaky as failed");
        await Expect(panel.GetByTestId("task-state")).ToHaveTextAsync("failed");
        await Expect(panel.GetByRole(AriaRole.Alert)).ToContainTextAsync("marked failed by hand");
        await Expect(flaky).ToHaveAttributeAsync("data-state", "failed");
    }

    [Fact]
    public async Task Follows_a_running_task_attempt_log_live_until_it_ends()
    {
        // The task prints a line, then waits for a file this test creates once it has seen that line live: the window
        // in which the log must already show is as long as the browser needs, however slow the machine.
        var release = Path.Combine(Path.GetTempPath(), $"sluice-ui-release-{Guid.NewGuid():N}");
        var yaml = $$"""
            name: ui-live-log
            schedule: manual
            tasks:
              - id: slow
                type: command
                command: sh
                args: ["-c", "echo first line of a slow task; while [ ! -e '{{release}}' ]; do sleep 0.2; done; echo last line of a slow task"]
            """;
        try
        {
            var page = await host.SignedInPageAsync();
            await ApplyAsync(page, yaml);
            var row = page.GetByTestId("dags-table").Locator("tr[data-dag=ui-live-log]");
            await row.GetByRole(AriaRole.Button, new() { Name = "Trigger" }).ClickAsync();
            var cell = page.GetByTestId("dag-grid").Locator("tr[data-task=slow] .cell");
            await Expect(cell).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 60_000 });

            await cell.ClickAsync();
            var log = page.GetByTestId("task-log");
            await Expect(log).ToContainTextAsync("out first line of a slow task", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("task-log-state")).ToHaveTextAsync("following…");
            // "out": the printed line, not the command line the log shows first.
            await Expect(log).Not.ToContainTextAsync("out last line of a slow task");
            await UiHost.ScreenshotAsync(page, "dag-live-log");

            await File.WriteAllTextAsync(release, "");
            await Expect(log).ToContainTextAsync("out last line of a slow task", new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("task-log-state")).ToHaveTextAsync("complete", new() { Timeout = 30_000 });
            await Expect(cell).ToHaveAttributeAsync("data-state", "success", new() { Timeout = 30_000 });
        }
        finally
        {
            File.Delete(release);
        }
    }

    private static async Task ApplyAsync(IPage page, string yaml)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "DAGs", Exact = true }).ClickAsync();
        await page.GetByLabel("DAG YAML").FillAsync(yaml);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
    }
}
