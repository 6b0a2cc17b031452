using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Connectors;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/auth: sign in with a password (sets the session and CSRF cookies), sign out, who am I.</summary>
public static class AuthApi
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static void MapAuth(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("auth");
        group.MapPost("/login", async (LoginRequest request, ApiContext ctx, LoginThrottle throttle, HttpContext http, CancellationToken ct) =>
        {
            var name = request.Username?.Trim() ?? "";
            AuditTrail.As(http, name.Length == 0 ? "anonymous" : name);
            var keys = new[] { "user:" + name.ToLowerInvariant(), "addr:" + http.Connection.RemoteIpAddress };
            foreach (var key in keys)
            {
                if (throttle.LockedFor(key) is { } wait)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(statusCode: 429, title: "too many failed logins",
                        detail: $"{LoginThrottle.MaxFailures} failed logins for this {(key.StartsWith("user:", StringComparison.Ordinal) ? "account" : "address")}; try again in {Math.Ceiling(wait.TotalMinutes)} minute(s)");
                }
            }
            var user = name.Length == 0 ? null : await ctx.Store.Identity.FindUserAsync(name, ct);
            var valid = user is { Disabled: false } && Passwords.Verify(user.PasswordHash, request.Password ?? "", out _);
            if (!valid)
            {
                foreach (var key in keys)
                    throttle.Failed(key);
                return Results.Problem(statusCode: 401, title: "login failed", detail: "wrong username or password");
            }
            foreach (var key in keys)
                throttle.Succeeded(key);
            var secret = Tokens.New(Tokens.SessionPrefix);
            var now = ctx.Time.GetUtcNow();
            var expires = now + SessionLifetime;
            await ctx.Store.Identity.CreateTokenAsync(new ApiToken
            {
                Id = Guid.CreateVersion7(now), UserId = user!.Id, Kind = TokenKinds.Session, Name = "browser session",
                TokenHash = Tokens.Hash(secret), Role = Role.Admin, CreatedAt = now, ExpiresAt = expires,
            }, ct);
            var csrf = Tokens.New("");
            var secure = http.Request.IsHttps;
            http.Response.Cookies.Append(SluiceAuthenticationHandler.SessionCookie, secret, new CookieOptions
            { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", Expires = expires });
            // Readable by the page's script (not HttpOnly) so it can echo it in the X-CSRF-Token header: the double submit.
            http.Response.Cookies.Append(SluiceAuthenticationHandler.CsrfCookie, csrf, new CookieOptions
            { HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", Expires = expires });
            return Results.Ok(new LoginResponse(user.Name, csrf, expires));
        }).AllowAnonymous().WithName("login");
        group.MapPost("/logout", async (ApiContext ctx, CredentialCache cache, HttpContext http, CancellationToken ct) =>
        {
            if (http.User.FindFirst(SluiceClaims.TokenKind)?.Value == TokenKinds.Session && Guid.TryParse(http.User.FindFirst(SluiceClaims.TokenId)?.Value, out var id))
            {
                await ctx.Store.Identity.RevokeTokenAsync(id, ctx.Time.GetUtcNow(), ct);
                cache.ForgetToken(id);
            }
            http.Response.Cookies.Delete(SluiceAuthenticationHandler.SessionCookie);
            http.Response.Cookies.Delete(SluiceAuthenticationHandler.CsrfCookie);
            return TypedResults.NoContent();
        }).RequireRole(Role.Viewer).WithName("logout");
        group.MapGet("/me", async (ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspaces = await ctx.Store.Workspaces.ListAsync(ct);
            var roles = workspaces.Where(w => http.User.RoleIn(w.Id) is not null)
                .ToDictionary(w => w.Name, w => http.User.RoleIn(w.Id)!.Value.ToString().ToLowerInvariant());
            return TypedResults.Ok(new MeResponse(http.User.User()!.Value, http.User.Name(), http.User.FindFirst(SluiceClaims.TokenKind)!.Value, roles));
        }).RequireRole(Role.Viewer).WithName("me");
    }

    internal static Role ParseRole(string? text, string field) =>
        Enum.TryParse<Role>(text, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new ConfigException(field, $"'{text}' is not a role", "use viewer, editor or admin");
}
