using System.Text.Json.Nodes;

namespace Sluice.Core.Model;

/// <summary>A configured source or destination. <see cref="Version"/> increases on every update (optimistic concurrency).</summary>
public sealed record Actor
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required ActorKind Kind { get; init; }
    public required string Name { get; init; }
    /// <summary>Connector name, e.g. <c>postgres</c>.</summary>
    public required string Connector { get; init; }
    public required JsonObject Config { get; init; }
    public int Version { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
