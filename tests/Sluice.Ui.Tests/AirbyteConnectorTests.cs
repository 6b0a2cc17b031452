using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>
/// An external Airbyte-protocol connector (the Python test connector) in the browser: once its command is entered,
/// the form asks the server for the connector's own spec and shows its fields (a secret as a password field); the
/// saved source tests and syncs, and the job's log grows on the page while the slow source is still reading.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class AirbyteConnectorTests(UiHost host)
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Airbyte", "fixtures", "fake_connector.py");

    [Fact]
    public async Task The_form_comes_from_the_connectors_spec_and_a_slow_syncs_log_tails_live()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/sources/new");
        await page.GetByLabel("Search connectors").FillAsync("airbyte");
        await page.Locator("button[data-connector=airbyte]").ClickAsync();
        await Expect(page.GetByTestId("external-spec")).ToContainTextAsync("Enter the connector's command");
        await Expect(page.Locator("input[name='config.api_key']")).ToHaveCountAsync(0);

        await page.Locator("#actor-name").FillAsync("ui-airbyte");
        await page.Locator("input[name=command]").FillAsync("python3");
        var args = page.Locator(".field[data-path=args]");
        await args.GetByRole(AriaRole.Button, new() { Name = "+ Add" }).ClickAsync();
        await page.Locator("input[name='args.0']").FillAsync("-u");
        await args.GetByRole(AriaRole.Button, new() { Name = "+ Add" }).ClickAsync();
        await page.Locator("input[name='args.1']").FillAsync(Script);
        await page.GetByRole(AriaRole.Button, new() { Name = "Load connector settings" }).ClickAsync();

        // The connector's own fields, from its spec: api_key is an airbyte_secret, rows an integer, delay a number.
        await Expect(page.GetByTestId("external-spec")).ToContainTextAsync("from its spec: 5 field(s)");
        await Expect(page.Locator("input[name='config.api_key']")).ToHaveAttributeAsync("type", "password");
        await Expect(page.Locator("input[name='config.rows']")).ToHaveAttributeAsync("type", "number");
        await Expect(page.Locator("input[name=command]")).ToHaveValueAsync("python3");
        await Expect(page.Locator("input[name='args.1']")).ToHaveValueAsync(Script);
        await page.Locator("input[name='config.api_key']").FillAsync("bad");
        await page.Locator("input[name='config.rows']").FillAsync("6");
        await page.Locator("input[name='config.delay']").FillAsync("1.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result").GetByRole(AriaRole.Alert)).ToContainTextAsync("Connection failed");
        await page.Locator("input[name='config.api_key']").FillAsync("ui-secret-key-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");
        await UiHost.ScreenshotAsync(page, "airbyte-source");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Source created" })).ToBeVisibleAsync();

        // Reopened: the spec is asked again with the saved command; the stored secret stays out of the page.
        await Expect(page.Locator("input[name='config.rows']")).ToHaveValueAsync("6");
        await Expect(page.Locator("input[name='config.api_key']")).ToHaveValueAsync("");
        await Expect(page.Locator("input[name='config.api_key']")).ToHaveAttributeAsync("placeholder", "stored — type to replace");
        Assert.DoesNotContain("ui-secret-key-7", await page.ContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");

        // A sync of the slow source (6 rows per stream, 1.5 s before each): the log shows early lines while later ones
        // have not been written yet, then the rest arrives on the same page and the job succeeds.
        await UiHost.ApiAsync(page, "POST", "/destinations", $$"""{"name":"ui-airbyte-dest","connector":"postgres","config":{{host.PostgresDestinationJson("airbyte_ui")}}}""");
        var connection = JsonNode.Parse(await UiHost.ApiAsync(page, "POST", "/connections", """{"name":"ui-airbyte-slow","source":"ui-airbyte","destination":"ui-airbyte-dest"}"""))!["id"]!.GetValue<string>();
        await page.GotoAsync($"/connections/{connection}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await page.GetByTestId("jobs-table").Locator("tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/\\d+$"));
        var log = page.GetByTestId("job-log");
        await Expect(log).ToContainTextAsync("emitting users record 2", new() { Timeout = 60_000 });
        var early = await log.TextContentAsync() ?? "";
        Assert.DoesNotContain("emitting events record 6", early);
        await Expect(page.GetByTestId("log-state")).ToHaveTextAsync("following…");
        await Expect(page.GetByTestId("job-status")).ToHaveTextAsync("running");
        await UiHost.ScreenshotAsync(page, "job-live-log");
        await Expect(log).ToContainTextAsync("emitting events record 6", new() { Timeout = 90_000 });
        await Expect(page.GetByTestId("job-status")).ToHaveTextAsync("succeeded", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("log-state")).ToHaveTextAsync("complete");
        await Expect(page.GetByTestId("job-records")).ToHaveTextAsync("12");
        Assert.True((await log.TextContentAsync())!.Length > early.Length);
    }
}
