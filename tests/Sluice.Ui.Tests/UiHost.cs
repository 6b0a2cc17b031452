using Microsoft.Playwright;
using Sluice.Testing;

namespace Sluice.Ui.Tests;

/// <summary>
/// One real <c>sluice standalone</c> (its own process: SQLite metadata, demo on, scheduler and jobs) and one headless
/// Debian Chromium, shared by the UI tests of the assembly; plus the test PostgreSQL server with a source database of
/// two tables and an empty destination database.
/// </summary>
public sealed class UiHost : IAsyncLifetime
{
    public const string AdminPassword = "admin-password-for-ui-tests";
    public const int CustomerRows = 3;
    public const int OrderRows = 5;

    private SluiceDllProcess? _server;
    private IPlaywright? _playwright;
    private string _dataDir = "";

    public PostgresServer Postgres { get; private set; } = null!;
    public string SourceDatabase { get; private set; } = "";
    public string DestinationDatabase { get; private set; } = "";
    public string Address { get; private set; } = "";
    /// <summary>The server's data dir (its SQLite store is DataDir/sluice.db).</summary>
    public string DataDir => _dataDir;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: bin/.../screenshots, copied to docs/ui/ by hand when the pages change.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.InstanceAsync();
        SourceDatabase = await Postgres.CreateDatabaseAsync("uisource");
        DestinationDatabase = await Postgres.CreateDatabaseAsync("uidest");
        await Postgres.ExecuteAsync(SourceDatabase, """
            create table customers (id int primary key, name text not null, updated_at timestamptz not null default now());
            insert into customers (id, name) select g, 'customer ' || g from generate_series(1, 3) g;
            create table orders (id int primary key, customer_id int not null, amount numeric(10,2) not null);
            insert into orders select g, 1 + g % 3, g * 10.5 from generate_series(1, 5) g;
            """);

        _dataDir = Path.Combine(Path.GetTempPath(), "sluice-ui-tests", Guid.NewGuid().ToString("N"));
        var port = FreePort.Next();
        _server = await StandaloneProcess.StartAsync(_dataDir, port, AdminPassword);
        Address = $"http://127.0.0.1:{port}";

        Directory.CreateDirectory(Screenshots);
        Assertions.SetDefaultExpectTimeout(30_000);
        // Debian's Chromium, never a downloaded one: the machines that run this have no internet.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _playwright.Selectors.SetTestIdAttribute("data-testid");
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context (own cookies) with generous timeouts for a loaded 2-core machine.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Address, ViewportSize = new() { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task<IPage> SignedInPageAsync()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("admin");
        return page;
    }

    /// <summary>
    /// Calls the API from inside the signed-in page (its session cookie and CSRF header), for arranging many rows fast;
    /// returns the response text and fails with the status and body on an error.
    /// </summary>
    public static Task<string> ApiAsync(IPage page, string method, string path, string? body = null, string contentType = "application/json") =>
        page.EvaluateAsync<string>("""
            async ([method, path, body, type]) => {
              const csrf = document.cookie.split('; ').find(c => c.startsWith('sluice_csrf='))?.slice('sluice_csrf='.length);
              const response = await fetch('/api/v1' + path, { method, body: body ?? undefined, credentials: 'same-origin',
                headers: { 'Content-Type': type, 'Accept': 'application/json', 'X-CSRF-Token': csrf ?? '' } });
              const text = await response.text();
              if (!response.ok) throw new Error(method + ' ' + path + ' answered ' + response.status + ': ' + text);
              return text;
            }
            """, new object?[] { method, path, body, contentType });

    /// <summary>The Postgres config of the test server's destination database, writing into <paramref name="schema"/>.</summary>
    public string PostgresDestinationJson(string schema) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["host"] = "127.0.0.1", ["port"] = Postgres.Port, ["database"] = DestinationDatabase,
        ["username"] = PostgresServer.User, ["password"] = PostgresServer.Password, ["schema"] = schema,
    });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
