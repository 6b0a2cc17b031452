using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sluice.Testing;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Ui.Tests;

/// <summary>
/// The form generated from a connector's spec, editing saved sources: enums, booleans and integers come back as
/// saved; a oneOf group and an array change; the stored password is never shown and survives the edit.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class SpecFormTests(UiHost host)
{
    [Fact]
    public async Task Edits_a_file_source_with_enums_booleans_and_numbers()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/sources/new");
        await page.GetByPlaceholder("Search connectors…").FillAsync("file");
        await page.Locator("button[data-connector=file]").ClickAsync();
        await page.Locator("#actor-name").FillAsync("csv-drop");
        await page.GetByLabel(new Regex("^Root")).FillAsync(Path.GetTempPath());
        await page.GetByLabel(new Regex("^Format")).SelectOptionAsync("csv");
        await page.GetByLabel("Header", new() { Exact = true }).UncheckAsync();
        await page.GetByLabel("Infer rows", new() { Exact = true }).FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sources/[0-9a-f-]{36}$"));

        await page.ReloadAsync();
        await Expect(page.GetByLabel(new Regex("^Format"))).ToHaveValueAsync("\"csv\"");
        await Expect(page.GetByLabel("Header", new() { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Infer rows", new() { Exact = true })).ToHaveValueAsync("50");
        await page.GetByLabel(new Regex("^Format")).SelectOptionAsync("jsonl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByLabel(new Regex("^Format"))).ToHaveValueAsync("\"jsonl\"");
        await Expect(page.GetByLabel("Header", new() { Exact = true })).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task Edits_a_postgres_source_oneof_and_array_and_keeps_the_stored_password()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/sources/new");
        await page.Locator("button[data-connector=postgres]").ClickAsync();
        await page.Locator("#actor-name").FillAsync("pg-edit");
        await page.GetByLabel("Host").FillAsync("127.0.0.1");
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync((await PostgresServer.InstanceAsync()).Port.ToString());
        await page.GetByLabel("Database").FillAsync(host.SourceDatabase);
        await page.GetByLabel("Username").FillAsync(PostgresServer.User);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PostgresServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sources/[0-9a-f-]{36}$"));

        // oneOf: SSL mode as Airbyte's object form; array: a second schema.
        await page.GetByLabel("SSL mode option").SelectOptionAsync(new SelectOptionValue { Label = "Detailed settings" });
        await page.GetByLabel(new Regex("^Mode")).SelectOptionAsync("disable");
        await page.Locator(".field[data-path=schemas]").GetByRole(AriaRole.Button, new() { Name = "+ Add" }).ClickAsync();
        await page.GetByLabel("Schemas 2").FillAsync("information_schema");
        await UiHost.ScreenshotAsync(page, "source-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" })).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Expect(page.GetByLabel("SSL mode option")).ToHaveValueAsync("1");
        await Expect(page.GetByLabel(new Regex("^Mode"))).ToHaveValueAsync("\"disable\"");
        await Expect(page.GetByLabel("Schemas 2")).ToHaveValueAsync("information_schema");
        // The password never comes back, and the mask the form sent kept it: the saved source still connects.
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Connection succeeded");
        Assert.DoesNotContain(PostgresServer.Password, await page.ContentAsync());
    }
}
