using Sluice.Core.Catalog;

namespace Sluice.Core.Model;

public enum ConnectionStatus
{
    Active,
    Paused,
}

/// <summary>What to do when the source's schema changed since the last sync.</summary>
public enum SchemaChangePolicy
{
    PropagateAll,
    PropagateColumns,
    Ignore,
    Pause,
}

/// <summary>A source paired with a destination: the streams it moves, how, and when.</summary>
public sealed record Connection
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required string Name { get; init; }
    public required Guid SourceId { get; init; }
    public required Guid DestinationId { get; init; }
    public required ConfiguredCatalog Catalog { get; init; }
    /// <summary>Cron expression, <c>@every 15m</c>, or null for manual only.</summary>
    public string? Schedule { get; init; }
    /// <summary>IANA time zone the cron schedule is read in (e.g. Europe/Berlin); null means UTC.</summary>
    public string? TimeZone { get; init; }
    public ConnectionStatus Status { get; init; } = ConnectionStatus.Active;
    /// <summary>Prefix added to every destination table name.</summary>
    public string? Prefix { get; init; }
    /// <summary>Destination schema/namespace for every stream, unless a stream sets its own.</summary>
    public string? DestinationNamespace { get; init; }
    public SchemaChangePolicy SchemaChangePolicy { get; init; } = SchemaChangePolicy.PropagateColumns;
    public int Version { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
