using System.Security.Claims;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>The claims Sluice puts on an authenticated request: who, through which token, and the role per workspace id.</summary>
public static class SluiceClaims
{
    public const string Scheme = "Sluice";
    public const string UserId = "sluice:user";
    public const string TokenId = "sluice:token";
    public const string TokenKind = "sluice:kind";
    /// <summary>Value <c>&lt;workspace id&gt;=&lt;role&gt;</c>, already capped by the token's role.</summary>
    public const string WorkspaceRole = "sluice:ws";

    public static Guid? User(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(UserId), out var id) ? id : null;

    public static string Name(this ClaimsPrincipal principal) => principal.Identity?.Name ?? "anonymous";

    public static Role? RoleIn(this ClaimsPrincipal principal, Guid workspaceId)
    {
        var prefix = workspaceId.ToString() + "=";
        foreach (var claim in principal.FindAll(WorkspaceRole))
        {
            if (claim.Value.StartsWith(prefix, StringComparison.Ordinal) && Enum.TryParse<Role>(claim.Value[prefix.Length..], out var role))
                return role;
        }
        return null;
    }
}
