namespace Sluice.Metadata.Identity;

/// <summary>
/// A bearer token (<see cref="TokenKinds.Api"/>) or a browser session (<see cref="TokenKinds.Session"/>). Only the SHA-256
/// of the secret is kept, so the database alone cannot be used to act as anyone. <see cref="Role"/> caps what the token may
/// do; the owner's current role still applies. A null <see cref="WorkspaceId"/> means every workspace the owner is in.
/// </summary>
public sealed record ApiToken
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public Guid? WorkspaceId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string TokenHash { get; init; }
    public required Role Role { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

public static class TokenKinds
{
    public const string Api = "api";
    public const string Session = "session";
}
