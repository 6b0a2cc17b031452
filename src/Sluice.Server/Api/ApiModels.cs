using System.Text.Json.Nodes;
using Sluice.Core.Model;

namespace Sluice.Server.Api;

public sealed record ActorRequest(string Name, string Connector, JsonObject Config, int? Version = null);

public sealed record ActorResponse(Guid Id, string Name, string Connector, JsonObject Config, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CheckResponse(bool Succeeded, string? Message);

public sealed record ConnectionRequest(
    string Name,
    string Source,
    string Destination,
    JsonArray? Streams = null,
    string? Schedule = null,
    string? Status = null,
    string? Prefix = null,
    string? Namespace = null,
    string? SchemaChangePolicy = null,
    int? Version = null,
    string? TimeZone = null);

public sealed record ConnectionResponse(
    Guid Id,
    string Name,
    Guid SourceId,
    Guid DestinationId,
    JsonObject Catalog,
    string? Schedule,
    string? TimeZone,
    string Status,
    string? Prefix,
    string? Namespace,
    string SchemaChangePolicy,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A connection in a list: everything but the catalog, whose streams are counted (GET by id has the catalog).</summary>
public sealed record ConnectionSummary(
    Guid Id,
    string Name,
    Guid SourceId,
    Guid DestinationId,
    int StreamCount,
    string? Schedule,
    string? TimeZone,
    string Status,
    string? Prefix,
    string? Namespace,
    string SchemaChangePolicy,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record JobResponse(
    long Id,
    Guid ConnectionId,
    string Kind,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int Attempts,
    SyncStats Stats,
    string? Error)
{
    public static JobResponse From(Job job) => new(job.Id, job.ConnectionId, job.Kind.ToString().ToLowerInvariant(),
        job.Status.ToString().ToLowerInvariant(), job.CreatedAt, job.StartedAt, job.EndedAt, job.Attempts, job.Stats, job.Error);
}

public sealed record AttemptResponse(int Number, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, SyncStats Stats, string? Error)
{
    public static AttemptResponse From(JobAttempt a) => new(a.Number, a.Status.ToString().ToLowerInvariant(), a.StartedAt, a.EndedAt, a.Stats, a.Error);
}

public sealed record ConnectorResponse(string Name, bool IsSource, bool IsDestination, JsonObject Spec);

/// <summary>
/// One page of a list. <see cref="Next"/> is the link to the next page (null on the last one); <see cref="NextCursor"/> is
/// the same position as a token for the <c>cursor</c> query parameter.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, string? NextCursor);
