using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Connectors;
using Sluice.Metadata;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/users: admins create, change, disable and delete local users and set their role per workspace.</summary>
public static class UsersApi
{
    public static void MapUsers(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("users");
        group.MapGet("/", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var result = new List<UserResponse>();
            foreach (var user in await ctx.Store.Identity.ListUsersAsync(page.Fetch, page.After(), ct))
                result.Add(await ResponseAsync(ctx, user, ct));
            return TypedResults.Ok(page.Page(http, result, u => u.Name));
        }).RequireRole(Role.Admin).WithName("list-users");
        group.MapGet("/{id:guid}", async (Guid id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var user = await GetAsync(ctx, id, ct);
            ApiContext.SetETag(http, user.Version);
            return TypedResults.Ok(await ResponseAsync(ctx, user, ct));
        }).RequireRole(Role.Admin).WithName("get-user");
        group.MapPost("/", async (UserRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var name = ActorsApi.RequireName(request.Name);
            if (Passwords.Problem(request.Password) is { } problem)
                throw new ConfigException("password", problem);
            var roles = await RolesAsync(ctx, http, request.Roles, ct);
            var user = await ctx.Store.Identity.CreateUserAsync(new User { Id = Guid.Empty, Name = name, PasswordHash = Passwords.Hash(request.Password!), Disabled = request.Disabled ?? false }, ct);
            foreach (var (workspace, role) in roles)
                await ctx.Store.Identity.SetRoleAsync(user.Id, workspace, role, ct);
            var response = await ResponseAsync(ctx, user, ct);
            AuditTrail.Record(http, null, response);
            ApiContext.SetETag(http, user.Version);
            return TypedResults.Created($"/api/v1/users/{user.Id}", response);
        }).RequireRole(Role.Admin).WithName("create-user");
        group.MapPut("/{id:guid}", async (Guid id, UserRequest request, ApiContext ctx, CredentialCache cache, HttpContext http, CancellationToken ct) =>
        {
            var existing = await GetAsync(ctx, id, ct);
            var before = await ResponseAsync(ctx, existing, ct);
            if (request.Password is not null && Passwords.Problem(request.Password) is { } problem)
                throw new ConfigException("password", problem);
            var roles = request.Roles is null ? null : await RolesAsync(ctx, http, request.Roles, ct);
            var updated = await ctx.Store.Identity.UpdateUserAsync(existing with
            {
                Name = request.Name is null ? existing.Name : ActorsApi.RequireName(request.Name),
                PasswordHash = request.Password is null ? existing.PasswordHash : Passwords.Hash(request.Password),
                Disabled = request.Disabled ?? existing.Disabled,
                Version = ApiContext.ExpectedVersion(http, request.Version),
            }, ct);
            if (roles is not null)
            {
                foreach (var old in await ctx.Store.Identity.RolesAsync(id, ct))
                    await ctx.Store.Identity.SetRoleAsync(id, old.WorkspaceId, null, ct);
                foreach (var (workspace, role) in roles)
                    await ctx.Store.Identity.SetRoleAsync(id, workspace, role, ct);
            }
            cache.ForgetUser(id);
            var response = await ResponseAsync(ctx, updated, ct);
            AuditTrail.Record(http, before, response);
            ApiContext.SetETag(http, updated.Version);
            return TypedResults.Ok(response);
        }).RequireRole(Role.Admin).WithName("update-user");
        group.MapDelete("/{id:guid}", async (Guid id, ApiContext ctx, CredentialCache cache, HttpContext http, CancellationToken ct) =>
        {
            var existing = await GetAsync(ctx, id, ct);
            if (http.User.User() == id)
                throw new ConfigException("id", "you cannot delete yourself", "sign in as another admin");
            AuditTrail.Record(http, await ResponseAsync(ctx, existing, ct), null);
            await ctx.Store.Identity.DeleteUserAsync(id, ct);
            cache.ForgetUser(id);
            return TypedResults.NoContent();
        }).RequireRole(Role.Admin).WithName("delete-user");
    }

    private static async Task<User> GetAsync(ApiContext ctx, Guid id, CancellationToken ct) =>
        await ctx.Store.Identity.GetUserAsync(id, ct) ?? throw new NotFoundException("user", id.ToString());

    private static async Task<List<(Guid, Role)>> RolesAsync(ApiContext ctx, HttpContext http, Dictionary<string, string>? roles, CancellationToken ct)
    {
        var result = new List<(Guid, Role)>();
        foreach (var (name, role) in roles ?? [])
        {
            var workspace = await ctx.Store.Workspaces.FindByNameAsync(name, ct) ?? throw new ConfigException($"roles.{name}", "no such workspace");
            // Administering one workspace must not let anyone hand out roles in another.
            if (http.User.RoleIn(workspace.Id) != Role.Admin)
                throw new UnauthorizedAccessException($"only an admin of workspace '{name}' can grant roles in it");
            result.Add((workspace.Id, AuthApi.ParseRole(role, $"roles.{name}")));
        }
        return result;
    }

    private static async Task<UserResponse> ResponseAsync(ApiContext ctx, User user, CancellationToken ct)
    {
        var workspaces = (await ctx.Store.Workspaces.ListAsync(ct)).ToDictionary(w => w.Id, w => w.Name);
        var roles = (await ctx.Store.Identity.RolesAsync(user.Id, ct))
            .ToDictionary(r => workspaces.GetValueOrDefault(r.WorkspaceId, r.WorkspaceId.ToString()), r => r.Role.ToString().ToLowerInvariant());
        return new UserResponse(user.Id, user.Name, user.Disabled, roles, user.Version, user.CreatedAt, user.UpdatedAt);
    }
}
