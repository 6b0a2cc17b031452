namespace Sluice.Metadata.Identity;

/// <summary>A local account. <see cref="PasswordHash"/> is an ASP.NET Core Identity hash (PBKDF2), never the password.</summary>
public sealed record User
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string PasswordHash { get; init; }
    public bool Disabled { get; init; }
    public int Version { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A user's role in one workspace.</summary>
public sealed record WorkspaceRole(Guid WorkspaceId, Role Role);
