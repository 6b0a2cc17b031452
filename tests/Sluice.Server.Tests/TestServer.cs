using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Metadata;
using Sluice.Metadata.Identity;
using Sluice.Server.Hosting;
using Sluice.Server.Security;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>A real Sluice host on a free loopback port with a throwaway data dir, its log captured.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-tests";

    private TestServer(WebApplication app, string dataDir, Uri address, CapturedLog log)
    {
        App = app;
        DataDir = dataDir;
        Address = address;
        Log = log;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri Address { get; }
    public CapturedLog Log { get; }
    public IMetadataStore Store => App.Services.GetRequiredService<IMetadataStore>();

    public static async Task<TestServer> StartAsync() => await StartAsync(o => o);

    /// <summary>A host whose options <paramref name="configure"/> changes (a shorter request timeout, say).</summary>
    public static async Task<TestServer> StartAsync(Func<SluiceOptions, SluiceOptions> configure)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-server-tests", Guid.NewGuid().ToString("N"));
        var port = FreePort.Next();
        var log = new CapturedLog();
        var options = new SluiceOptions { DataDir = dataDir, Port = port, CreateDemo = false, RunJobs = true, AdminPassword = AdminPassword, MasterKey = null, Store = null };
        var app = await SluiceHost.BuildAsync(configure(options), b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        await app.StartAsync();
        return new TestServer(app, dataDir, new Uri($"http://127.0.0.1:{port}"), log);
    }

    public HttpClient Anonymous() => new() { BaseAddress = Address };

    public HttpClient WithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client for a fresh user with <paramref name="role"/> in the default workspace (null: a member of no workspace).</summary>
    public async Task<HttpClient> AsRoleAsync(Role? role)
    {
        var workspace = await Store.Workspaces.GetOrCreateDefaultAsync();
        var user = await Store.Identity.CreateUserAsync(new User { Id = Guid.Empty, Name = $"user-{Guid.NewGuid():N}", PasswordHash = Passwords.Hash("unused-password-123") });
        if (role is { } r)
            await Store.Identity.SetRoleAsync(user.Id, workspace.Id, r);
        var secret = Tokens.New(Tokens.ApiPrefix);
        await Store.Identity.CreateTokenAsync(new ApiToken
        {
            Id = Guid.NewGuid(), UserId = user.Id, WorkspaceId = workspace.Id, Kind = TokenKinds.Api, Name = "test",
            TokenHash = Tokens.Hash(secret), Role = role ?? Role.Viewer, CreatedAt = DateTimeOffset.UtcNow,
        });
        return WithToken(secret);
    }

    /// <summary>Signs in as admin through the API and returns an API token made through the API, as a script would.</summary>
    public async Task<HttpClient> AsAdminAsync()
    {
        using var login = Anonymous();
        var response = await login.PostAsJsonAsync("/api/v1/auth/login", new { username = AdminBootstrap.AdminName, password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var csrf = (await response.Content.ReadFromJsonAsync<JsonObject>())!["csrfToken"]!.GetValue<string>();
        var cookies = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "tests", role = "admin" }) };
        request.Headers.Add("Cookie", cookies);
        request.Headers.Add(SluiceAuthenticationHandler.CsrfHeader, csrf);
        var created = await login.SendAsync(request);
        created.EnsureSuccessStatusCode();
        return WithToken((await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
