using Sluice.Metadata.Identity;

namespace Sluice.Server.Api;

public sealed record LoginRequest(string? Username, string? Password);
public sealed record LoginResponse(string User, string CsrfToken, DateTimeOffset ExpiresAt);
public sealed record MeResponse(Guid Id, string Name, string AuthenticatedBy, IReadOnlyDictionary<string, string> Roles);

/// <summary><see cref="Roles"/> maps workspace name to viewer, editor or admin.</summary>
public sealed record UserRequest(string? Name, string? Password, bool? Disabled, Dictionary<string, string>? Roles, int? Version);
public sealed record UserResponse(Guid Id, string Name, bool Disabled, IReadOnlyDictionary<string, string> Roles, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TokenRequest(string? Name, string? Role, int? ExpiresInDays, Guid? User);
/// <summary>The only response that ever carries the token itself.</summary>
public sealed record TokenCreatedResponse(Guid Id, string Name, string Token, string Role, string? Workspace, DateTimeOffset? ExpiresAt);
public sealed record TokenResponse(Guid Id, Guid User, string Name, string Role, Guid? Workspace, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record AuditResponse(long Id, DateTimeOffset At, string Actor, string Action, string? Target, int Status, string? Before, string? After)
{
    public static AuditResponse From(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.Target, e.Status, e.Before, e.After);
}

public sealed record WorkspaceRequest(string? Name);
