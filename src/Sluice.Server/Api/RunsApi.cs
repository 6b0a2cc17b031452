using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Runtime;
using Sluice.Orchestration.Tasks;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/runs: DAG runs with their task instances; clear and mark tasks; task logs, streamed while running.</summary>
public static class RunsApi
{
    public sealed record MarkRequest(string State);

    public static void MapRuns(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/runs").WithTags("runs");
        group.MapGet("/", async (string? dag, string? state, [AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await PageAsync(ctx, http, dag, state, page, ct))).RequireRole(Role.Viewer).WithName("list-runs");
        group.MapGet("/{id:long}", async (long id, IMetadataStore store, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var run = await RunAsync(ctx, http, id, ct);
            return TypedResults.Ok(new { Run = run, Tasks = await store.Runs.ListTasksAsync([id], ct) });
        }).RequireRole(Role.Viewer).WithName("get-run");
        group.MapGet("/{id:long}/tasks", async (long id, IMetadataStore store, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            await RunAsync(ctx, http, id, ct);
            return TypedResults.Ok(await store.Runs.ListTasksAsync([id], ct));
        }).RequireRole(Role.Viewer).WithName("list-run-tasks");
        group.MapPost("/{id:long}/tasks/{task}/clear", async (long id, string task, bool? downstream, DagOperations ops, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            await RunAsync(ctx, http, id, ct);
            return await DagsApi.Guard(async () => Results.Ok(new { Cleared = await ops.ClearAsync(id, task, downstream ?? false, ct) }));
        }).RequireRole(Role.Editor).WithName("clear-task");
        group.MapPost("/{id:long}/tasks/{task}/mark", async (long id, string task, MarkRequest body, DagOperations ops, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            await RunAsync(ctx, http, id, ct) is not null ? await DagsApi.Guard(async () =>
            {
                if (!TaskStates.TryParse(body.State, out var state))
                    throw new ArgumentException($"unknown task state '{body.State}'; use success or failed");
                await ops.MarkTaskAsync(id, task, state, ct);
                return Results.NoContent();
            }) : Results.NotFound()).RequireRole(Role.Editor).WithName("mark-task");
        group.MapPost("/{id:long}/mark", async (long id, MarkRequest body, DagOperations ops, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            await RunAsync(ctx, http, id, ct) is not null ? await DagsApi.Guard(async () =>
            {
                await ops.MarkRunAsync(id, body.State, ct);
                return Results.NoContent();
            }) : Results.NotFound()).RequireRole(Role.Editor).WithName("mark-run");
        group.MapGet("/{id:long}/tasks/{task}/logs", async (long id, string task, bool? follow, IMetadataStore store, ApiContext ctx, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            await RunAsync(ctx, http, id, ct);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await TaskLogs.StreamAsync(store, id, task, follow == true, time, text => http.Response.WriteAsync(text, ct), () => http.Response.Body.FlushAsync(ct), ct);
        }).RequireRole(Role.Viewer).DisableRequestTimeout().WithName("get-task-logs");
    }

    /// <summary>Runs newest first (by id, so a backfill's runs come in the order they were made).</summary>
    internal static async Task<Page<DagRunRecord>> PageAsync(ApiContext ctx, HttpContext http, string? dag, string? state, PageQuery page, CancellationToken ct)
    {
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var runs = await ctx.Store.Runs.ListWorkspaceRunsPageAsync(workspace.Id, dag, state is null ? null : [state], page.Fetch, page.AfterId(), ct);
        return page.Page(http, runs, r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The run, when its DAG belongs to the workspace the request acts in; another workspace's run answers 404.</summary>
    private static async Task<DagRunRecord> RunAsync(ApiContext ctx, HttpContext http, long id, CancellationToken ct) =>
        await ctx.Store.Runs.GetRunAsync(id, ct) is { } run && await DagsApi.InWorkspaceAsync(ctx, http, run.Dag, ct)
            ? run
            : throw new NotFoundException("run", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
