using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.Server.Security;

namespace Sluice.Server.Tests;

public sealed class SessionAndTokenTests
{
    [Fact]
    public async Task Cookie_session_needs_the_csrf_header_for_changes_and_sets_safe_cookies()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Anonymous();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestServer.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookies = login.Headers.GetValues("Set-Cookie").ToList();
        var session = Assert.Single(setCookies, c => c.StartsWith(SluiceAuthenticationHandler.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        var csrf = (await login.Content.ReadFromJsonAsync<JsonObject>())!["csrfToken"]!.GetValue<string>();
        var cookies = string.Join("; ", setCookies.Select(c => c.Split(';')[0]));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/api/v1/auth/me", cookies, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Post, "/api/v1/workspaces", cookies, null, new { name = "w1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Post, "/api/v1/workspaces", cookies, csrf, new { name = "w1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Post, "/api/v1/auth/logout", cookies, csrf)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/api/v1/auth/me", cookies, null)).StatusCode);
    }

    [Fact]
    public async Task Token_is_shown_once_listed_without_secret_and_revocable_and_changes_are_audited()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.AsAdminAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "script", role = "viewer", expiresInDays = 30 })).Content.ReadFromJsonAsync<JsonObject>();
        var token = created!["token"]!.GetValue<string>();
        Assert.StartsWith(Tokens.ApiPrefix, token);
        var list = await admin.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(token, list);
        Assert.DoesNotContain(Tokens.Hash(token), list);

        using var script = server.WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/connections")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/v1/sources", new { name = "x", connector = "sample", config = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tokens/{created["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/connections")).StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit?limit=10");
        var actions = audit!["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("create-token", actions);
        Assert.Contains("revoke-token", actions);
    }

    [Fact]
    public async Task Repeated_failed_logins_are_locked_out_with_429()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Anonymous();
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = "wrong-password-x" })).StatusCode);
        var locked = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestServer.AdminPassword });
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.Contains("failed logins", await locked.Content.ReadAsStringAsync());
        Assert.True(locked.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Docs_page_references_no_external_url_and_openapi_lists_the_security_endpoints()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Anonymous();
        var html = await client.GetStringAsync("/docs");
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", html);
        var openapi = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/auth/login", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit", "/api/v1/workspaces" })
            Assert.Contains($"\"{path}\"", openapi);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string cookies, string? csrf, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Cookie", cookies);
        if (csrf is not null)
            request.Headers.Add(SluiceAuthenticationHandler.CsrfHeader, csrf);
        return client.SendAsync(request);
    }
}
