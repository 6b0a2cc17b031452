using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Metadata;
using Sluice.Metadata.Identity;
using Sluice.Orchestration.Runtime;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/workers: the workers of a distributed install with their running tasks, and the scheduler lease with its standbys.</summary>
public static class WorkersApi
{
    public static void MapWorkers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workers", async (IMetadataStore store, TimeProvider time, CancellationToken ct) => TypedResults.Ok(await ClusterView.ReadAsync(store, time, ct)))
            .WithTags("workers").RequireRole(Role.Viewer).WithName("list-workers");
    }
}
