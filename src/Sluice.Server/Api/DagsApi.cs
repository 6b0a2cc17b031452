using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Runtime;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/dags: apply DAGs from YAML, read them and their versions, pause, trigger, backfill, list their runs.</summary>
public static class DagsApi
{
    public sealed record TriggerRequest(Dictionary<string, string>? Params);

    public sealed record BackfillRequest(DateTimeOffset From, DateTimeOffset To);

    public sealed record DagSummary(string Name, bool Paused, int Version, string Schedule, int Tasks, DateTimeOffset UpdatedAt);

    public static void MapDags(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/dags").WithTags("dags");
        group.MapGet("/", async (IMetadataStore store, DagCatalog catalog, CancellationToken ct) =>
        {
            var list = new List<DagSummary>();
            foreach (var dag in await store.Dags.ListAsync(ct))
            {
                var definition = await catalog.GetAsync(dag.Name, dag.CurrentVersion, ct);
                list.Add(new DagSummary(dag.Name, dag.Paused, dag.CurrentVersion, definition.Schedule.Text, definition.Tasks.Count, dag.UpdatedAt));
            }
            return TypedResults.Ok(list);
        }).RequireRole(Role.Viewer).WithName("list-dags");
        group.MapGet("/{name}", async (string name, IMetadataStore store, DagOperations ops, CancellationToken ct) =>
        {
            var dag = await ops.GetAsync(name, ct);
            var versions = await store.Dags.ListVersionsAsync(name, ct);
            return TypedResults.Ok(new { dag.Name, dag.Paused, Version = dag.CurrentVersion, Definition = versions[^1].Definition, Versions = versions.Select(v => new { v.Version, v.CreatedAt }) });
        }).RequireRole(Role.Viewer).WithName("get-dag");
        // The body is the YAML itself (one or more DAGs separated by ---); every change becomes a new version.
        group.MapPost("/", async (HttpRequest request, DagOperations ops, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var yaml = await reader.ReadToEndAsync(ct);
            try
            {
                return Results.Ok(await ops.ApplyAsync(yaml, "request body", null, ct));
            }
            catch (DagDefinitionException ex)
            {
                return Results.Problem(title: "invalid DAG definition", detail: ex.Message, statusCode: 400,
                    extensions: new Dictionary<string, object?> { ["errors"] = ex.Errors.Select(e => e.ToString()).ToList() });
            }
        }).RequireRole(Role.Editor).WithName("apply-dags").Accepts<string>("application/yaml", "text/yaml", "text/plain");
        group.MapPost("/{name}/pause", async (string name, DagOperations ops, CancellationToken ct) =>
        {
            await ops.SetPausedAsync(name, true, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("pause-dag");
        group.MapPost("/{name}/unpause", async (string name, DagOperations ops, CancellationToken ct) =>
        {
            await ops.SetPausedAsync(name, false, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName("unpause-dag");
        group.MapPost("/{name}/trigger", async (string name, TriggerRequest? body, DagOperations ops, CancellationToken ct) =>
            await Guard(async () => await ops.TriggerAsync(name, body?.Params, ct) is var run ? Results.Created($"/api/v1/runs/{run.Id}", run) : Results.BadRequest())).RequireRole(Role.Editor).WithName("trigger-dag");
        group.MapPost("/{name}/backfill", async (string name, BackfillRequest body, DagOperations ops, CancellationToken ct) =>
            await Guard(async () => Results.Ok(await ops.BackfillAsync(name, body.From, body.To, ct)))).RequireRole(Role.Editor).WithName("backfill-dag");
        group.MapGet("/{name}/runs", async (string name, int? limit, IMetadataStore store, DagOperations ops, CancellationToken ct) =>
        {
            await ops.GetAsync(name, ct);
            return TypedResults.Ok(await store.Runs.ListRunsAsync(name, null, Math.Clamp(limit ?? 50, 1, 1000), ct));
        }).RequireRole(Role.Viewer).WithName("list-dag-runs");
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
