using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Runtime;
using Sluice.Orchestration.Tasks;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/dags: apply DAGs from YAML, read them and their versions, pause, trigger, backfill, list their runs.</summary>
public static class DagsApi
{
    public sealed record TriggerRequest(Dictionary<string, string>? Params);

    public sealed record BackfillRequest(DateTimeOffset From, DateTimeOffset To);

    /// <summary>A DAG in the list: its schedule, the state of its latest run and when the scheduler starts the next one.</summary>
    public sealed record DagSummary(string Name, bool Paused, int Version, string Schedule, int Tasks, DateTimeOffset UpdatedAt,
        LastRun? LastRun, DateTimeOffset? NextRunAt);

    public sealed record LastRun(long Id, string State, string RunType, DateTimeOffset CreatedAt);

    /// <summary>One task as a node of the DAG's graph: what it is and what it waits for.</summary>
    public sealed record TaskNode(string Id, string Type, IReadOnlyList<string> DependsOn, string TriggerRule);

    public static void MapDags(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/dags").WithTags("dags");
        group.MapGet("/", async ([AsParameters] PageQuery page, ApiContext ctx, DagCatalog catalog, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            var list = new List<DagSummary>();
            var workspace = await ctx.WorkspaceAsync(http, ct);
            foreach (var dag in await ctx.Store.Dags.ListAsync(workspace.Id, page.Fetch, page.After(), ct))
            {
                var definition = await catalog.GetAsync(dag.Name, dag.CurrentVersion, ct);
                var latest = (await ctx.Store.Runs.ListRunsAsync(dag.Name, null, 1, ct)).FirstOrDefault();
                list.Add(new DagSummary(dag.Name, dag.Paused, dag.CurrentVersion, definition.Schedule.Text, definition.Tasks.Count, dag.UpdatedAt,
                    latest is null ? null : new LastRun(latest.Id, latest.State, latest.RunType, latest.CreatedAt), await ops.NextRunAtAsync(dag, definition, ct)));
            }
            return TypedResults.Ok(page.Page(http, list, d => d.Name));
        }).RequireRole(Role.Viewer).WithName("list-dags");
        group.MapGet("/{name}", async (string name, ApiContext ctx, DagCatalog catalog, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            var dag = await GetAsync(ctx, ops, http, name, ct);
            var versions = await ctx.Store.Dags.ListVersionsAsync(name, ct);
            var definition = await catalog.GetAsync(dag.Name, dag.CurrentVersion, ct);
            ApiContext.SetETag(http, dag.CurrentVersion);
            return TypedResults.Ok(new
            {
                dag.Name,
                dag.Paused,
                Version = dag.CurrentVersion,
                Definition = versions[^1].Definition,
                Versions = versions.Select(v => new { v.Version, v.CreatedAt }),
                definition.Description,
                Schedule = definition.Schedule.Text,
                TimeZone = definition.TimeZone.Id,
                definition.Params,
                Tasks = definition.Tasks.Select(t => new TaskNode(t.Id, t.Type, t.DependsOn, t.TriggerRule.ToName())).ToList(),
                NextRunAt = await ops.NextRunAtAsync(dag, definition, ct),
            });
        }).RequireRole(Role.Viewer).WithName("get-dag");
        // The body is the YAML itself (one or more DAGs separated by ---); every change becomes a new version.
        group.MapPost("/", async (HttpRequest request, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var yaml = await ReadBodyAsync(request, ct);
            return await Definition(async () => Results.Ok(await ops.ApplyAsync(workspace, yaml, "request body", null, ct)));
        }).RequireRole(Role.Editor).WithName("apply-dags").Accepts<string>("application/yaml", "text/yaml", "text/plain");
        // One DAG's new definition, applied only while it is still at the version in If-Match (412 otherwise).
        group.MapPut("/{name}", async (string name, HttpRequest request, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            var expected = ApiContext.ExpectedVersion(http, null);
            var yaml = await ReadBodyAsync(request, ct);
            return await Definition(async () =>
            {
                var applied = await ops.UpdateAsync(await ctx.WorkspaceAsync(http, ct), yaml, (name, expected), "request body", ct);
                ApiContext.SetETag(http, applied.Version);
                AuditTrail.Record(http, new { name, version = expected }, new { name, version = applied.Version });
                return Results.Ok(applied);
            });
        }).RequireRole(Role.Editor).WithName("update-dag").Accepts<string>("application/yaml", "text/yaml", "text/plain");
        group.MapPost("/{name}/pause", async (string name, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            await ops.SetPausedAsync(name, true, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("pause-dag");
        group.MapPost("/{name}/unpause", async (string name, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            await ops.SetPausedAsync(name, false, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("unpause-dag");
        group.MapPost("/{name}/trigger", async (string name, TriggerRequest? body, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            return await Guard(async () => await ops.TriggerAsync(name, body?.Params, ct) is var run ? Results.Created($"/api/v1/runs/{run.Id}", run) : Results.BadRequest());
        }).RequireRole(Role.Editor).WithName("trigger-dag");
        group.MapPost("/{name}/backfill", async (string name, BackfillRequest body, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            return await Guard(async () => Results.Ok(await ops.BackfillAsync(name, body.From, body.To, ct)));
        }).RequireRole(Role.Editor).WithName("backfill-dag");
        group.MapGet("/{name}/runs", async (string name, [AsParameters] PageQuery page, ApiContext ctx, DagOperations ops, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, ops, http, name, ct);
            return TypedResults.Ok(await RunsApi.PageAsync(ctx, http, name, null, page, ct));
        }).RequireRole(Role.Viewer).WithName("list-dag-runs");
    }

    /// <summary>
    /// The DAG, when it belongs to the workspace the request acts in; another workspace's DAG answers 404 as if it did
    /// not exist, so a role in workspace B shows nothing of workspace A's DAGs (nor their runs and tasks).
    /// </summary>
    internal static async Task<DagRecord> GetAsync(ApiContext ctx, DagOperations ops, HttpContext http, string name, CancellationToken ct)
    {
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var dag = await ops.GetAsync(name, ct);
        return dag.WorkspaceId == workspace.Id ? dag : throw new NotFoundException("dag", name);
    }

    /// <summary>Whether the DAG <paramref name="name"/> exists in the request's workspace.</summary>
    internal static async Task<bool> InWorkspaceAsync(ApiContext ctx, HttpContext http, string name, CancellationToken ct) =>
        await ctx.Store.Dags.GetAsync(name, ct) is { } dag && dag.WorkspaceId == (await ctx.WorkspaceAsync(http, ct)).Id;

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(ct);
    }

    private static async Task<IResult> Definition(Func<Task<IResult>> apply)
    {
        try
        {
            return await Guard(apply);
        }
        catch (DagDefinitionException ex)
        {
            return Results.Problem(title: "invalid DAG definition", detail: ex.Message, statusCode: 400,
                extensions: new Dictionary<string, object?> { ["errors"] = ex.Errors.Select(e => e.ToString()).ToList() });
        }
    }

    /// <summary>Bad input to trigger and backfill (unknown param, no time schedule, empty range) is a 400, not a 500.</summary>
    internal static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(title: "invalid request", detail: ex.Message, statusCode: 400);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(title: "conflict", detail: ex.Message, statusCode: 409);
        }
    }
}
