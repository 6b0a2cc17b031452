using Sluice.Core.Model;

namespace Sluice.Metadata;

/// <summary>
/// A connection as lists show it: everything but the configured catalog, whose streams are only counted. Reading it
/// never parses the catalog JSON, which is most of a connection's bytes.
/// </summary>
public sealed record ConnectionOverview
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required string Name { get; init; }
    public required Guid SourceId { get; init; }
    public required Guid DestinationId { get; init; }
    public required int StreamCount { get; init; }
    public string? Schedule { get; init; }
    public string? TimeZone { get; init; }
    public ConnectionStatus Status { get; init; }
    public string? Prefix { get; init; }
    public string? DestinationNamespace { get; init; }
    public SchemaChangePolicy SchemaChangePolicy { get; init; }
    public int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
