using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sluice.Testing;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>The main path a new user takes, in the browser: sources and destinations through the generated forms, a connection, a sync, its log.</summary>
[Collection(UiCollection.Name)]
public sealed class PipelineFlowTests(UiHost host)
{
    [Fact]
    public async Task Creates_a_postgres_pipeline_syncs_it_and_shows_the_job_and_its_log()
    {
        var page = await host.SignedInPageAsync();
        await Expect(page.GetByTestId("connections-table")).ToContainTextAsync("demo");
        await UiHost.ScreenshotAsync(page, "connections");

        // Source: catalogue → generated form → a wrong password fails the test inline → the right one passes → save.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New source" }).ClickAsync();
        await page.GetByPlaceholder("Search connectors…").FillAsync("postgres");
        await Expect(page.Locator("button.connector")).ToHaveCountAsync(1);
        await UiHost.ScreenshotAsync(page, "catalogue");
        await page.Locator("button[data-connector=postgres]").ClickAsync();
        await FillPostgresAsync(page, "shop-db", host.SourceDatabase, "wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection failed", new() { Timeout = 30_000 });
        await UiHost.ScreenshotAsync(page, "source-check-failed");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PostgresServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");
        await UiHost.ScreenshotAsync(page, "source-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sources/[0-9a-f-]{36}$"));
        // The stored password never comes back into the page.
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveAttributeAsync("placeholder", "stored — type to replace");
        // Tested again as saved: the server uses the stored secret the page never saw.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");

        // Destination, the same form component.
        await page.GotoAsync("/destinations/new");
        await page.Locator("button[data-connector=postgres]").ClickAsync();
        await FillPostgresAsync(page, "warehouse", host.DestinationDatabase, PostgresServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create destination" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/destinations/[0-9a-f-]{36}$"));

        // Connection: discover, both streams preselected, save.
        await page.GotoAsync("/connections/new");
        await page.Locator("#c-name").FillAsync("shop to warehouse");
        await page.Locator("#c-source").SelectOptionAsync(new SelectOptionValue { Label = "shop-db" });
        await page.Locator("#c-destination").SelectOptionAsync(new SelectOptionValue { Label = "warehouse" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Discover schema" }).ClickAsync();
        var streams = page.GetByTestId("streams");
        await Expect(streams.Locator("tbody[data-stream]")).ToHaveCountAsync(2);
        await Expect(streams.Locator("tbody[data-stream=orders]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("streams-count")).ToHaveTextAsync("2 of 2 stream(s) selected");
        // Defaults preselected from what the source discovered: the primary key of each table.
        await Expect(streams.Locator("tbody[data-stream=orders]").GetByTestId("primary-key")).ToHaveTextAsync("id");
        // The stream table fits inside the connection form (it used to stick out of the card on the right).
        var formBox = await page.Locator("form.connection-editor").BoundingBoxAsync();
        var tableBox = await streams.BoundingBoxAsync();
        Assert.True(tableBox!.X + tableBox.Width <= formBox!.X + formBox.Width, $"the stream table ends at x={tableBox.X + tableBox.Width}, outside the form ending at x={formBox.X + formBox.Width}");
        await UiHost.ScreenshotAsync(page, "connection-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/connections/[0-9a-f-]{36}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("shop to warehouse");

        // Sync now: the page follows the job until it ends, with the records of both tables.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        var firstJob = page.GetByTestId("jobs-table").Locator("tbody tr").First;
        await Expect(firstJob).ToContainTextAsync("succeeded", new() { Timeout = 60_000 });
        await Expect(firstJob.Locator("td.num").First).ToHaveTextAsync((UiHost.CustomerRows + UiHost.OrderRows).ToString());
        await Expect(page.GetByTestId("stream-stats")).ToContainTextAsync("orders");
        await Expect(page.GetByTestId("connection-streams").Locator("tr[data-stream]")).ToHaveCountAsync(2);
        await UiHost.ScreenshotAsync(page, "connection");

        // Reset one stream from its row: its saved state is forgotten, the other stream's is kept.
        var connectionState = $"/api/v1/connections/{Regex.Match(page.Url, "/connections/([0-9a-f-]{36})").Groups[1].Value}/state";
        Assert.Contains("\"orders\"", await (await page.APIRequest.GetAsync(connectionState)).TextAsync());
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByTestId("connection-streams").Locator("tr[data-stream]").Filter(new() { HasText = "public.orders" })
            .GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "State of stream public.orders reset" })).ToBeVisibleAsync();
        var afterReset = await (await page.APIRequest.GetAsync(connectionState)).TextAsync();
        Assert.DoesNotContain("\"orders\"", afterReset);
        Assert.Contains("\"customers\"", afterReset);

        // The job page: outcome, records, and the log.
        await firstJob.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("job-status")).ToHaveTextAsync("succeeded");
        await Expect(page.GetByTestId("job-records")).ToHaveTextAsync((UiHost.CustomerRows + UiHost.OrderRows).ToString());
        await Expect(page.GetByTestId("job-log")).ToContainTextAsync("attempt 1");
        await Expect(page.GetByTestId("log-state")).ToHaveTextAsync("complete");
        await UiHost.ScreenshotAsync(page, "job");

        Assert.Equal(UiHost.OrderRows, await host.Postgres.ScalarAsync<int>(host.DestinationDatabase, "select count(*) from public.orders"));

        // The source gains a column: the next sync propagates it (the default policy) and the connection page lists the change.
        await host.Postgres.ExecuteAsync(host.SourceDatabase, "alter table customers add column tier text");
        await page.GetByRole(AriaRole.Link, new() { Name = "connection", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("schema-changes")).ToContainTextAsync("None seen yet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(page.GetByTestId("jobs-table").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("jobs-table").Locator("tbody tr").First).ToContainTextAsync("succeeded", new() { Timeout = 60_000 });
        var change = page.GetByTestId("schema-changes").Locator("tbody tr").First;
        await Expect(change).ToContainTextAsync("column added tier");
        await Expect(change).ToContainTextAsync("applied");
        await UiHost.ScreenshotAsync(page, "connection-schema-changes");
    }

    [Fact]
    public async Task Shows_the_servers_field_errors_next_to_the_field()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/destinations/new");
        await page.Locator("button[data-connector=postgres]").ClickAsync();
        await page.GetByLabel("Name").First.FillAsync("incomplete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create destination" }).ClickAsync();
        // Under its field the message does not repeat the field's name; the summary above the buttons points there.
        await Expect(page.Locator(".field[data-path=host] .field-error")).ToHaveTextAsync(new Regex("^is required"));
        await Expect(page.Locator(".field[data-path=database]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid configuration: see the message under each marked field.");
        await UiHost.ScreenshotAsync(page, "field-errors");
    }

    private static async Task FillPostgresAsync(IPage page, string name, string database, string password)
    {
        await page.Locator("#actor-name").FillAsync(name);
        await page.GetByLabel("Host").FillAsync("127.0.0.1");
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync((await PostgresServer.InstanceAsync()).Port.ToString());
        await page.GetByLabel("Database").FillAsync(database);
        await page.GetByLabel("Username").FillAsync(PostgresServer.User);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
    }
}
