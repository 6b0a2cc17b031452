using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata;
using Sluice.Metadata.Identity;
using Sluice.Orchestration.Runtime;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/pools: task slot pools shared by every DAG. Reading is for viewers; pools limit everyone's DAGs, so changing them is for admins.</summary>
public static class PoolsApi
{
    public sealed record PoolRequest(int Slots);

    public static void MapPools(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/pools").WithTags("pools");
        group.MapGet("/", async (PoolOperations pools, CancellationToken ct) => TypedResults.Ok(await pools.ListAsync(ct)))
            .RequireRole(Role.Viewer).WithName("list-pools");
        group.MapPut("/{name}", async (string name, PoolRequest request, PoolOperations pools, HttpContext http, CancellationToken ct) =>
        {
            var before = (await pools.ListAsync(ct)).FirstOrDefault(p => p.Name == name);
            var pool = await pools.SetAsync(name, request.Slots, ct);
            AuditTrail.Record(http, before, pool);
            return TypedResults.Ok(pool);
        }).RequireRole(Role.Admin).WithName("set-pool");
        group.MapDelete("/{name}", async (string name, PoolOperations pools, HttpContext http, CancellationToken ct) =>
        {
            var before = (await pools.ListAsync(ct)).FirstOrDefault(p => p.Name == name) ?? throw new NotFoundException("pool", name);
            await pools.DeleteAsync(name, ct);
            AuditTrail.Record(http, before, null);
            return TypedResults.NoContent();
        }).RequireRole(Role.Admin).WithName("delete-pool");
    }
}
