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
        api.MapGet("/audit", async (int? limit, long? before, ApiContext ctx, CancellationToken ct) =>
        {
            var size = Math.Clamp(limit ?? 50, 1, 500);
            var entries = await ctx.Store.Audit.ListAsync(size, before, ct);
            var next = entries.Count == size ? $"?before={entries[^1].Id}&limit={size}" : null;
            return TypedResults.Ok(new Page<AuditResponse>(entries.Select(AuditResponse.From).ToList(), next));
        }).RequireRole(Role.Admin).WithTags("audit").WithName("list-audit");
        api.MapGet("/workspaces", async (ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var visible = (await ctx.Store.Workspaces.ListAsync(ct)).Where(w => http.User.RoleIn(w.Id) is not null).ToList();
            return TypedResults.Ok(new Page<Sluice.Core.Model.Workspace>(visible, null));
        }).RequireRole(Role.Viewer).WithTags("workspaces").WithName("list-workspaces");
        api.MapPost("/workspaces", async (WorkspaceRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.Store.Workspaces.CreateAsync(ActorsApi.RequireName(request.Name), ct);
            // The admin who creates a workspace administers it, else nobody could use it.
            await ctx.Store.Identity.SetRoleAsync(http.User.User()!.Value, workspace.Id, Role.Admin, ct);
            AuditTrail.Record(http, null, workspace);
            return TypedResults.Created($"/api/v1/workspaces/{workspace.Name}", workspace);
        }).RequireRole(Role.Admin).WithTags("workspaces").WithName("create-workspace");
    }
}
