using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/audit (admins, newest first, paginated) and /api/v1/workspaces (list the caller's, create).</summary>
public static class AdminApi
{
    public static void MapAdmin(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var entries = await ctx.Store.Audit.ListAsync(workspace.Id, page.Fetch, page.AfterId(), ct);
            return TypedResults.Ok(page.Page(http, entries.Select(AuditResponse.From).ToList(), e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }).RequireRole(Role.Admin).WithTags("audit").WithName("list-audit");
        api.MapGet("/workspaces", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            // Only the workspaces the caller has a role in, a handful: paged in memory.
            var visible = (await ctx.Store.Workspaces.ListAsync(ct)).Where(w => http.User.RoleIn(w.Id) is not null);
            return TypedResults.Ok(page.PageInMemory(http, visible, w => w.Name));
        }).RequireRole(Role.Viewer).WithTags("workspaces").WithName("list-workspaces");
        api.MapPost("/workspaces", async (WorkspaceRequest request, ApiContext ctx, CredentialCache cache, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.Store.Workspaces.CreateAsync(ActorsApi.RequireName(request.Name), ct);
            // The admin who creates a workspace administers it, else nobody could use it.
            await ctx.Store.Identity.SetRoleAsync(http.User.User()!.Value, workspace.Id, Role.Admin, ct);
            cache.ForgetUser(http.User.User()!.Value);
            AuditTrail.Record(http, null, workspace);
            return TypedResults.Created($"/api/v1/workspaces/{workspace.Name}", workspace);
        }).RequireRole(Role.Admin).WithTags("workspaces").WithName("create-workspace");
    }
}
