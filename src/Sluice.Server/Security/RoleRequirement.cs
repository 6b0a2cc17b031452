using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sluice.Metadata.Identity;
using Sluice.Server.Api;

namespace Sluice.Server.Security;

/// <summary>The minimum role an endpoint needs in the workspace the request acts in (<c>?workspace=</c>, default "default").</summary>
public sealed record RoleRequirement(Role Minimum) : IAuthorizationRequirement
{
    public static string PolicyName(Role role) => "role:" + role.ToString().ToLowerInvariant();
}

internal sealed class RoleRequirementHandler(ApiContext api) : AuthorizationHandler<RoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.User() is null)
            return;
        Guid workspaceId;
        try
        {
            workspaceId = (await api.WorkspaceAsync(http, http.RequestAborted)).Id;
        }
        catch (Sluice.Metadata.NotFoundException)
        {
            return; // an unknown workspace is simply one the caller has no role in
        }
        if (context.User.RoleIn(workspaceId) is { } role && role >= requirement.Minimum)
            context.Succeed(requirement);
    }
}

public static class RoleEndpointExtensions
{
    /// <summary>Declares the least role this endpoint needs; every /api/v1 endpoint must declare one (the matrix test checks).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role minimum) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(RoleRequirement.PolicyName(minimum));
}
