using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        group.MapGet("/", async (string? dag, string? state, [AsParameters] PageQuery page, IMetadataStore store, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await PageAsync(store, http, dag, state, page, ct))).RequireRole(Role.Viewer).WithName("list-runs");
        group.MapGet("/{id:long}", async (long id, IMetadataStore store, CancellationToken ct) =>
        {
            var run = await RunAsync(store, id, ct);
            return TypedResults.Ok(new { Run = run, Tasks = await store.Runs.ListTasksAsync([id], ct) });
        }).RequireRole(Role.Viewer).WithName("get-run");
        group.MapGet("/{id:long}/tasks", async (long id, IMetadataStore store, CancellationToken ct) =>
        {
            await RunAsync(store, id, ct);
            return TypedResults.Ok(await store.Runs.ListTasksAsync([id], ct));
        }).RequireRole(Role.Viewer).WithName("list-run-tasks");
        group.MapPost("/{id:long}/tasks/{task}/clear", async (long id, string task, bool? downstream, DagOperations ops, CancellationToken ct) =>
            await DagsApi.Guard(async () => Results.Ok(new { Cleared = await ops.ClearAsync(id, task, downstream ?? false, ct) }))).RequireRole(Role.Editor).WithName("clear-task");
        group.MapPost("/{id:long}/tasks/{task}/mark", async (long id, string task, MarkRequest body, DagOperations ops, CancellationToken ct) =>
            await DagsApi.Guard(async () =>
            {
                if (!TaskStates.TryParse(body.State, out var state))
                    throw new ArgumentException($"unknown task state '{body.State}'; use success or failed");
                await ops.MarkTaskAsync(id, task, state, ct);
                return Results.NoContent();
            })).RequireRole(Role.Editor).WithName("mark-task");
        group.MapPost("/{id:long}/mark", async (long id, MarkRequest body, DagOperations ops, CancellationToken ct) =>
            await DagsApi.Guard(async () =>
            {
                await ops.MarkRunAsync(id, body.State, ct);
                return Results.NoContent();
            })).RequireRole(Role.Editor).WithName("mark-run");
        group.MapGet("/{id:long}/tasks/{task}/logs", async (long id, string task, bool? follow, IMetadataStore store, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            await RunAsync(store, id, ct);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await TaskLogs.StreamAsync(store, id, task, follow == true, time, text => http.Response.WriteAsync(text, ct), () => http.Response.Body.FlushAsync(ct), ct);
        }).RequireRole(Role.Viewer).WithName("get-task-logs");
    }

    /// <summary>Runs newest first (by id, so a backfill's runs come in the order they were made).</summary>
    internal static async Task<Page<DagRunRecord>> PageAsync(IMetadataStore store, HttpContext http, string? dag, string? state, PageQuery page, CancellationToken ct)
    {
        var runs = await store.Runs.ListRunsPageAsync(dag, state is null ? null : [state], page.Fetch, page.AfterId(), ct);
        return page.Page(http, runs, r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<DagRunRecord> RunAsync(IMetadataStore store, long id, CancellationToken ct) =>
        await store.Runs.GetRunAsync(id, ct) ?? throw new NotFoundException("run", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
