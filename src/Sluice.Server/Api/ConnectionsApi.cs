using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Model;
using Sluice.Core.Protocol;
using Sluice.Metadata;
using Sluice.Server.Definitions;
using Sluice.Server.Jobs;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/connections: CRUD, sync now, jobs, state and reset.</summary>
public static class ConnectionsApi
{
    public static void MapConnections(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/connections").WithTags("connections");
        group.MapGet("/", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            // Lists read no catalogs: parsing a hundred of them was nearly all of the list's time.
            var connections = await ctx.Store.Connections.ListOverviewsAsync(workspace.Id, page.Fetch, page.After(), ct);
            return new JsonBody<Page<ConnectionSummary>>(page.Page(http, connections.Select(Summary).ToList(), c => c.Name), ApiJsonContext.Default.PageConnectionSummary);
        }).RequireRole(Role.Viewer).WithName("list-connections");
        group.MapGet("/{id}", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            ApiContext.SetETag(http, connection.Version);
            return TypedResults.Ok(Response(connection));
        }).RequireRole(Role.Viewer).WithName("get-connection");
        group.MapPost("/", async (ConnectionRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await BuildAsync(request, ctx, http, ct);
            var created = await ctx.Store.Connections.CreateAsync(connection, ct);
            ApiContext.SetETag(http, created.Version);
            AuditTrail.Record(http, null, Response(created));
            return TypedResults.Created($"/api/v1/connections/{created.Id}", Response(created));
        }).RequireRole(Role.Editor).WithConnectorTimeout().WithName("create-connection");
        group.MapPut("/{id}", async (string id, ConnectionRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var existing = await FindAsync(ctx, http, id, ct);
            var connection = await BuildAsync(request, ctx, http, ct);
            var updated = await ctx.Store.Connections.UpdateAsync(connection with
            {
                Id = existing.Id,
                CreatedAt = existing.CreatedAt,
                Version = ApiContext.ExpectedVersion(http, request.Version),
            }, ct);
            ApiContext.SetETag(http, updated.Version);
            AuditTrail.Record(http, Response(existing), Response(updated));
            return TypedResults.Ok(Response(updated));
        }).RequireRole(Role.Editor).WithConnectorTimeout().WithName("update-connection");
        group.MapDelete("/{id}", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            AuditTrail.Record(http, Response(connection), null);
            await ctx.Store.Connections.DeleteAsync(connection.Id, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("delete-connection");
        group.MapPost("/{id}/sync", async (string id, ApiContext ctx, JobQueue queue, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            if (connection.Status == ConnectionStatus.Paused)
                throw new Engine.Evolution.ConnectionPausedException(await new Engine.Evolution.SchemaEvolution(ctx.Store).PausedMessageAsync(connection, ct));
            var job = await queue.EnqueueAsync(connection.Id, ct);
            return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobResponse.From(job));
        }).RequireRole(Role.Editor).WithName("sync-connection");
        group.MapGet("/{id}/jobs", async (string id, [AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            return TypedResults.Ok(await JobsApi.PageAsync(ctx, http, connection.WorkspaceId, connection.Id, page, ct));
        }).RequireRole(Role.Viewer).WithName("list-connection-jobs");
        group.MapGet("/{id}/state", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            var state = await ctx.Store.State.GetAsync(connection.Id, ct);
            var streams = new JsonArray(state.Streams.Select(kv => (JsonNode)new JsonObject
            {
                ["stream_descriptor"] = AirbyteCatalogJson.ToJson(kv.Key),
                ["stream_state"] = kv.Value.DeepClone(),
            }).ToArray());
            return TypedResults.Ok(new JsonObject { ["streams"] = streams, ["global"] = state.Global?.DeepClone() });
        }).RequireRole(Role.Viewer).WithName("get-connection-state");
        group.MapPost("/{id}/reset", async (string id, string? stream, string? @namespace, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await FindAsync(ctx, http, id, ct);
            await ctx.Store.State.ResetAsync(connection.Id, stream is null ? null : new StreamDescriptor(stream, @namespace), ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("reset-connection");
    }

    private static async Task<Connection> BuildAsync(ConnectionRequest request, ApiContext ctx, HttpContext http, CancellationToken ct)
    {
        var timeZone = SchedulesApi.TimeZoneOf(request.TimeZone, "timeZone");
        var schedule = ScheduleOf(request.Schedule, timeZone); // cheap, so before the source is asked to discover
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var source = await ActorsApi.FindAsync(ctx, http, ActorKind.Source, request.Source ?? "", ct);
        var destination = await ActorsApi.FindAsync(ctx, http, ActorKind.Destination, request.Destination ?? "", ct);
        var discovered = await ctx.Registry.Source(source.Connector).DiscoverAsync(ctx.Resolver.ConfigOf(source), ct);
        var catalog = StreamSelection.Build(discovered, request.Streams, "connection",
            (destination.Connector, ctx.Registry.Destination(destination.Connector).Spec().SupportedDestinationSyncModes));
        var now = ctx.Time.GetUtcNow();
        return new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspace.Id,
            Name = ActorsApi.RequireName(request.Name),
            SourceId = source.Id,
            DestinationId = destination.Id,
            Catalog = catalog,
            Schedule = schedule,
            TimeZone = schedule is null || timeZone == TimeZoneInfo.Utc ? null : request.TimeZone!.Trim(),
            Status = request.Status?.ToLowerInvariant() == "paused" ? ConnectionStatus.Paused : ConnectionStatus.Active,
            Prefix = request.Prefix,
            DestinationNamespace = request.Namespace,
            SchemaChangePolicy = DefinitionApplier.ParsePolicy(request.SchemaChangePolicy, "connection"),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    // Checked here, not only when the scheduler meets it: a bad schedule is a 400 next to the field, and "manual" is no schedule.
    private static string? ScheduleOf(string? text, TimeZoneInfo timeZone) =>
        SchedulesApi.Parse(text, timeZone) is Sluice.Orchestration.Scheduling.ManualSchedule ? null : text!.Trim();

    internal static async Task<Connection> FindAsync(ApiContext ctx, HttpContext http, string idOrName, CancellationToken ct)
    {
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var connection = Guid.TryParse(idOrName, out var id)
            ? await ctx.Store.Connections.GetAsync(id, ct)
            : await ctx.Store.Connections.FindByNameAsync(workspace.Id, idOrName, ct);
        return connection is not null && connection.WorkspaceId == workspace.Id ? connection : throw new NotFoundException("connection", idOrName);
    }

    private static ConnectionSummary Summary(ConnectionOverview c) => new(c.Id, c.Name, c.SourceId, c.DestinationId, c.StreamCount, c.Schedule, c.TimeZone ?? "UTC", c.Status.ToString().ToLowerInvariant(), c.Prefix,
        c.DestinationNamespace, c.SchemaChangePolicy.ToString(), c.Version, c.CreatedAt, c.UpdatedAt);

    private static ConnectionResponse Response(Connection c) => new(c.Id, c.Name, c.SourceId, c.DestinationId,
        AirbyteCatalogJson.ToJson(c.Catalog), c.Schedule, c.TimeZone ?? "UTC", c.Status.ToString().ToLowerInvariant(), c.Prefix, c.DestinationNamespace,
        c.SchemaChangePolicy.ToString(), c.Version, c.CreatedAt, c.UpdatedAt);
}
