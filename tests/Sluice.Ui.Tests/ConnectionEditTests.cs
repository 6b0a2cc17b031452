using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>Editing a connection: its saved streams reopen as saved; schedule with the server's preview of the next runs; bad cron refused next to the field.</summary>
[Collection(UiCollection.Name)]
public sealed class ConnectionEditTests(UiHost host)
{
    [Fact]
    public async Task Edits_streams_mappings_and_a_cron_schedule_with_its_next_runs()
    {
        var page = await host.SignedInPageAsync();

        // A connection of the demo's sample source, created without discovering: it syncs every stream.
        await page.GotoAsync("/connections/new");
        await page.Locator("#c-name").FillAsync("ui-edit");
        await page.Locator("#c-source").SelectOptionAsync(new SelectOptionValue { Label = "sample-shop" });
        await page.Locator("#c-destination").SelectOptionAsync(new SelectOptionValue { Label = "local-warehouse" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/connections/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("connection-streams").Locator("tr[data-stream]")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("connection-schedule")).ToHaveTextAsync("Manual");

        // The edit form opens on the saved streams, without asking the source again.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/connections/[0-9a-f-]{36}/edit$"));
        var streams = page.GetByTestId("streams");
        await Expect(streams.Locator("tbody[data-stream]")).ToHaveCountAsync(3);
        await page.GetByLabel("Sync products").UncheckAsync();
        await Expect(page.GetByTestId("streams-count")).ToHaveTextAsync("2 of 3 stream(s) selected");
        // A mapping: hash the customers' e-mail addresses in the destination.
        var customers = streams.Locator("tbody[data-stream=customers]");
        await customers.GetByTestId("columns-summary").ClickAsync();
        await page.GetByLabel("Mapping of customers.email").SelectOptionAsync("hash");
        await Expect(customers.GetByTestId("columns-summary")).ToHaveTextAsync("6 of 6 columns · 1 mapped");
        await customers.GetByTestId("columns-summary").ClickAsync();

        // Cron: the server's preview lists the next runs; a wrong expression is explained under the field.
        await page.GetByLabel("Schedule type").SelectOptionAsync("cron");
        await page.GetByLabel("Cron expression").FillAsync("61 * * * *");
        await Expect(page.GetByTestId("schedule-error")).ToContainTextAsync("invalid cron expression");
        await page.GetByLabel("Cron expression").FillAsync("30 3 * * *");
        await Expect(page.GetByTestId("schedule-preview")).ToHaveTextAsync("Every day at 03:30");
        await Expect(page.GetByTestId("schedule-next").Locator("li:not(.label)")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("schedule-next").Locator("li:not(.label)").First).ToContainTextAsync("03:30 UTC");
        await Expect(page.GetByTestId("schedule-error")).ToBeEmptyAsync();
        await UiHost.ScreenshotAsync(page, "connection-edit");

        // Saving a bad expression is refused by the server, next to the field.
        await page.GetByLabel("Cron expression").FillAsync("0 3 * *");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("schedule-error")).ToContainTextAsync("4 fields");
        await Expect(page).ToHaveURLAsync(new Regex("/edit$"));

        await page.GetByLabel("Cron expression").FillAsync("30 3 * * *");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/connections/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("connection-schedule")).ToContainTextAsync("Every day at 03:30");
        await Expect(page.GetByTestId("connection-next-run")).ToContainTextAsync("03:30 UTC");
        await Expect(page.GetByTestId("connection-streams").Locator("tr[data-stream]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("connection-streams").Locator("tr[data-stream=customers]")).ToContainTextAsync("1 mapped");

        // Reopened, the form shows what was saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Cron expression")).ToHaveValueAsync("30 3 * * *");
        await Expect(page.GetByTestId("streams-count")).ToHaveTextAsync("2 of 2 stream(s) selected");
        await Expect(page.GetByLabel("Mapping of customers.email")).ToHaveValueAsync("hash");

        // Discovering again brings back the stream the connection no longer syncs, unselected.
        await page.GetByRole(AriaRole.Button, new() { Name = "Discover schema again" }).ClickAsync();
        await Expect(page.GetByTestId("streams-count")).ToHaveTextAsync("2 of 3 stream(s) selected");
        await Expect(page.GetByLabel("Sync products")).Not.ToBeCheckedAsync();

        // Pause and resume from the connection page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("paused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("active");
    }

    [Fact]
    public async Task A_cron_schedule_in_a_time_zone_previews_and_runs_at_that_zones_wall_clock_time()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/connections/new");
        await page.Locator("#c-name").FillAsync("ui-new-york");
        await page.Locator("#c-source").SelectOptionAsync(new SelectOptionValue { Label = "sample-shop" });
        await page.Locator("#c-destination").SelectOptionAsync(new SelectOptionValue { Label = "local-warehouse" });
        await page.GetByLabel("Schedule type").SelectOptionAsync("cron");
        await page.GetByLabel("Cron expression").FillAsync("30 9 * * 1-5");
        await Expect(page.GetByTestId("schedule-next").Locator("li:not(.label)").First).ToContainTextAsync("09:30 UTC");

        // An unknown zone is explained under the field, by the preview and again by the server on save.
        await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
        await Expect(page.GetByTestId("timezone-error")).ToContainTextAsync("unknown time zone 'Mars/Olympus'");
        await Expect(page.GetByTestId("schedule-next").Locator("li:not(.label)")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Expect(page.GetByTestId("timezone-error")).ToContainTextAsync("use an IANA id");
        await Expect(page).ToHaveURLAsync(new Regex("/connections/new$"));

        // In New York: the next runs are 09:30 there (UTC-5 or UTC-4 with daylight saving), on weekdays.
        await page.GetByLabel("Time zone").FillAsync("America/New_York");
        var next = page.GetByTestId("schedule-next").Locator("li:not(.label)");
        await Expect(next).ToHaveCountAsync(5);
        await Expect(next.First).ToContainTextAsync("09:30");
        await Expect(next.First).ToHaveAttributeAsync("title", new Regex("T09:30:00-0[45]:00$"));
        await Expect(page.GetByTestId("timezone-error")).ToBeEmptyAsync();
        await UiHost.ScreenshotAsync(page, "connection-timezone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/connections/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("connection-schedule")).ToContainTextAsync("Weekdays at 09:30");
        await Expect(page.GetByTestId("connection-schedule")).ToContainTextAsync("America/New_York");
        await Expect(page.GetByTestId("connection-next-run")).ToContainTextAsync("09:30");

        // Reopened, the form keeps the zone.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("America/New_York");
        await Expect(page.GetByTestId("schedule-next").Locator("li:not(.label)").First).ToHaveAttributeAsync("title", new Regex("T09:30:00-0[45]:00$"));
    }
}
