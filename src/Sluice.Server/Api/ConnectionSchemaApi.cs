using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Engine.Evolution;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/connections/{id}: the schema-change history, pause and resume (docs/sync-modes.md, "Schema evolution").</summary>
public static class ConnectionSchemaApi
{
    public static void MapConnectionSchema(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/connections").WithTags("connections");
        group.MapGet("/{id}/schema-changes", async (string id, [AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await ConnectionsApi.FindAsync(ctx, http, id, ct);
            var changes = await ctx.Store.Schemas.ListChangesAsync(connection.Id, page.Fetch, page.AfterId(), ct);
            return TypedResults.Ok(page.Page(http, changes.Select(SchemaChangeResponse.From).ToList(), c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }).RequireRole(Role.Viewer).WithName("list-connection-schema-changes");
        group.MapPost("/{id}/pause", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await ConnectionsApi.FindAsync(ctx, http, id, ct);
            var paused = connection.Status == ConnectionStatus.Paused
                ? connection
                : await ctx.Store.Connections.UpdateAsync(connection with { Status = ConnectionStatus.Paused }, ct);
            AuditTrail.Record(http, new { status = "active" }, new { status = "paused" });
            ApiContext.SetETag(http, paused.Version);
            return TypedResults.Ok(new ConnectionStatusResponse(paused.Id, paused.Name, "paused", paused.Version, []));
        }).RequireRole(Role.Editor).WithName("pause-connection");
        group.MapPost("/{id}/resume", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var connection = await ConnectionsApi.FindAsync(ctx, http, id, ct);
            if (connection.Status == ConnectionStatus.Active)
                return TypedResults.Ok(new ConnectionStatusResponse(connection.Id, connection.Name, "active", connection.Version, []));
            var resolved = await ctx.Resolver.ResolveAsync(connection.Id, ct);
            var result = await new SchemaEvolution(ctx.Store).ResumeAsync(resolved, ct);
            AuditTrail.Record(http, new { status = "paused" }, new { status = "active", accepted = result.Changes.Count });
            ApiContext.SetETag(http, result.Connection.Version);
            return TypedResults.Ok(new ConnectionStatusResponse(result.Connection.Id, result.Connection.Name, "active", result.Connection.Version,
                result.Changes.Select(SchemaChangeResponse.From).ToList()));
        }).RequireRole(Role.Editor).WithName("resume-connection");
    }
}

/// <summary>One schema change as the API shows it; kinds and actions are snake_case (<c>column_type_changed</c>, <c>paused</c>).</summary>
public sealed record SchemaChangeResponse(
    long Id,
    DateTimeOffset At,
    long? JobId,
    string? StreamNamespace,
    string Stream,
    string Kind,
    string? Column,
    string? OldType,
    string? NewType,
    string Action,
    string Message)
{
    public static SchemaChangeResponse From(SchemaChangeRecord r) => new(r.Id, r.At, r.JobId, r.Stream.Namespace, r.Stream.Name,
        r.Change.Kind.ToText(), r.Change.Column, r.Change.OldType, r.Change.NewType, r.Action.ToText(), r.Message);
}

/// <summary>A connection's status after pause or resume, with the changes a resume accepted.</summary>
public sealed record ConnectionStatusResponse(Guid Id, string Name, string Status, int Version, IReadOnlyList<SchemaChangeResponse> AcceptedChanges);
