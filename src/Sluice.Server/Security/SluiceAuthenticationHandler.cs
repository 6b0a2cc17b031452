using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sluice.Metadata;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>
/// Authenticates a request by its bearer token (<c>Authorization: Bearer slu_...</c>) or its session cookie. A
/// cookie-authenticated request that changes something must also carry the CSRF token (double submit: header equal to
/// the CSRF cookie), which a cross-site page cannot read.
/// </summary>
public sealed class SluiceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IMetadataStore store, TimeProvider time, CredentialCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SessionCookie = "sluice_session";
    public const string CsrfCookie = "sluice_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? secret = null;
        var fromCookie = false;
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            secret = authorization["Bearer ".Length..].Trim();
        else if (Request.Cookies.TryGetValue(SessionCookie, out var cookie))
        {
            secret = cookie;
            fromCookie = true;
        }
        if (string.IsNullOrEmpty(secret))
            return AuthenticateResult.NoResult();

        var now = time.GetUtcNow();
        // A token is 32 random bytes, so a fast SHA-256 is the right hash (no salt or stretching needed); the cache spares
        // the three metadata reads (token, user, roles) for a token seen in the last few seconds.
        var hash = Tokens.Hash(secret);
        var cached = cache.Find(hash);
        var token = cached?.Token ?? await store.Identity.FindTokenAsync(hash, Context.RequestAborted);
        if (token is null || !token.IsValidAt(now) || (fromCookie != (token.Kind == TokenKinds.Session)))
            return AuthenticateResult.Fail("the token or session is unknown, expired or revoked");
        if (fromCookie && !HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !HttpMethods.IsOptions(Request.Method))
        {
            var header = Request.Headers[CsrfHeader].FirstOrDefault();
            if (header is null || !Request.Cookies.TryGetValue(CsrfCookie, out var csrf) || !FixedTimeEquals(header, csrf))
                return AuthenticateResult.Fail($"a request authenticated by the session cookie must send the {CsrfHeader} header");
        }
        var user = cached?.User ?? await store.Identity.GetUserAsync(token.UserId, Context.RequestAborted);
        if (user is null || user.Disabled)
            return AuthenticateResult.Fail("the user is disabled or deleted");
        var roles = cached?.Roles ?? await store.Identity.RolesAsync(user.Id, Context.RequestAborted);
        if (cached is null)
            cache.Add(token, user, roles);

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(SluiceClaims.UserId, user.Id.ToString()),
            new(SluiceClaims.TokenId, token.Id.ToString()),
            new(SluiceClaims.TokenKind, token.Kind),
        };
        foreach (var role in roles)
        {
            if (token.WorkspaceId is { } only && only != role.WorkspaceId)
                continue;
            // A token never grants more than its owner has now, nor more than it was created with.
            var effective = (Role)Math.Min((int)role.Role, (int)token.Role);
            claims.Add(new Claim(SluiceClaims.WorkspaceRole, $"{role.WorkspaceId}={effective}"));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SluiceClaims.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SluiceClaims.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(401, "authentication required", "sign in (POST /api/v1/auth/login) or send 'Authorization: Bearer <token>'");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(403, "forbidden", "your role in this workspace does not allow this");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = status;
        await Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = failure ?? detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
