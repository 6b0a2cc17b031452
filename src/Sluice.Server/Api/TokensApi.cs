using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Connectors;
using Sluice.Metadata;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/tokens: API tokens for scripts. Created for one workspace with a role; the token is returned once; list never shows it.</summary>
public static class TokensApi
{
    public static void MapTokens(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("tokens");
        group.MapGet("/", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var tokens = await ctx.Store.Identity.ListTokensAsync(workspace.Id, TokenKinds.Api, page.Fetch, page.AfterGuid(), ct);
            return TypedResults.Ok(page.Page(http, tokens.Select(Response).ToList(), t => t.Id.ToString()));
        }).RequireRole(Role.Admin).WithName("list-tokens");
        group.MapPost("/", async (TokenRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var role = AuthApi.ParseRole(request.Role ?? "viewer", "role");
            var userId = request.User ?? http.User.User()!.Value;
            var owner = await ctx.Store.Identity.GetUserAsync(userId, ct) ?? throw new ConfigException("user", "no such user");
            if (request.ExpiresInDays is <= 0)
                throw new ConfigException("expiresInDays", "must be positive", "omit it for a token that does not expire");
            var now = ctx.Time.GetUtcNow();
            var secret = Tokens.New(Tokens.ApiPrefix);
            var token = new ApiToken
            {
                Id = Guid.CreateVersion7(now), UserId = owner.Id, WorkspaceId = workspace.Id, Kind = TokenKinds.Api,
                Name = ActorsApi.RequireName(request.Name), TokenHash = Tokens.Hash(secret), Role = role, CreatedAt = now,
                ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
            };
            await ctx.Store.Identity.CreateTokenAsync(token, ct);
            AuditTrail.Record(http, null, Response(token));
            return TypedResults.Created($"/api/v1/tokens/{token.Id}",
                new TokenCreatedResponse(token.Id, token.Name, secret, role.ToString().ToLowerInvariant(), workspace.Name, token.ExpiresAt));
        }).RequireRole(Role.Admin).WithName("create-token");
        group.MapDelete("/{id:guid}", async (Guid id, ApiContext ctx, CredentialCache cache, HttpContext http, CancellationToken ct) =>
        {
            var token = await ctx.Store.Identity.GetTokenAsync(id, ct);
            if (token is null || token.Kind != TokenKinds.Api)
                throw new NotFoundException("token", id.ToString());
            await ctx.Store.Identity.RevokeTokenAsync(id, ctx.Time.GetUtcNow(), ct);
            cache.ForgetToken(id);
            AuditTrail.Record(http, Response(token), null);
            return TypedResults.NoContent();
        }).RequireRole(Role.Admin).WithName("revoke-token");
    }

    private static TokenResponse Response(ApiToken t) =>
        new(t.Id, t.UserId, t.Name, t.Role.ToString().ToLowerInvariant(), t.WorkspaceId, t.CreatedAt, t.ExpiresAt, t.RevokedAt);
}
