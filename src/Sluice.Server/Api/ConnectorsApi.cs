using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Config;
using Sluice.Core.Connectors;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/connectors: the connector catalogue and each connector's config spec.</summary>
public static class ConnectorsApi
{
    public static void MapConnectors(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/connectors").WithTags("connectors");
        group.MapGet("/", ([AsParameters] PageQuery page, ConnectorRegistry registry, HttpContext http) =>
            TypedResults.Ok(page.PageInMemory(http, registry.All.Select(Response), c => c.Name))).RequireRole(Role.Viewer).WithName("list-connectors");
        group.MapGet("/{name}", (string name, ConnectorRegistry registry) => TypedResults.Ok(Response(registry.Get(name)))).RequireRole(Role.Viewer).WithName("get-connector");
        // The full spec for one config: an external (airbyte) connector's own fields and secrets, found by running its spec.
        group.MapPost("/{name}/spec", async (string name, SpecRequest request, ConnectorRegistry registry, CancellationToken ct) =>
        {
            var connector = registry.Get(name);
            var config = ConfigReferences.Resolve(request.Config ?? []);
            return TypedResults.Ok((await ConnectorSpecs.ForConfigAsync(connector, config, ct)).ToJson());
        }).RequireRole(Role.Editor).WithName("get-connector-spec-for-config");
    }

    public sealed record SpecRequest(System.Text.Json.Nodes.JsonObject? Config);

    private static ConnectorResponse Response(IConnector c) => new(c.Name, c is ISource, c is IDestination, c.Spec().ToJson());
}
