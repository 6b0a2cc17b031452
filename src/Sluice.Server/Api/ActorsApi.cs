using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Core.Protocol;
using Sluice.Metadata;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/sources and /api/v1/destinations: CRUD, check and (sources) discover. Secrets are masked in every response.</summary>
public static class ActorsApi
{
    public static void MapActors(this IEndpointRouteBuilder api, ActorKind kind)
    {
        var plural = kind == ActorKind.Source ? "sources" : "destinations";
        var group = api.MapGroup($"/{plural}").WithTags(plural);
        group.MapGet("/", async ([AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var actors = await ctx.Store.Actors.ListAsync(workspace.Id, kind, page.Fetch, page.After(), ct);
            return TypedResults.Ok(page.Page(http, actors.Select(a => Response(ctx, a)).ToList(), a => a.Name));
        }).RequireRole(Role.Viewer).WithName($"list-{plural}");
        group.MapGet("/{id}", async Task<Results<Ok<ActorResponse>, NotFound>> (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var actor = await FindAsync(ctx, http, kind, id, ct);
            ApiContext.SetETag(http, actor.Version);
            return TypedResults.Ok(Response(ctx, actor));
        }).RequireRole(Role.Viewer).WithName($"get-{kind.ToString().ToLowerInvariant()}");
        group.MapPost("/", async (ActorRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var workspace = await ctx.WorkspaceAsync(http, ct);
            var connector = Connector(ctx, kind, request.Connector);
            var resolved = ConfigReferences.Resolve(request.Config);
            var spec = await ConnectorSpecs.ForConfigAsync(connector, resolved, ct);
            ConfigValidator.Validate(spec, resolved, connector.Name);
            var now = ctx.Time.GetUtcNow();
            var actor = await ctx.Store.Actors.CreateAsync(new Actor
            {
                Id = Guid.NewGuid(),
                WorkspaceId = workspace.Id,
                Kind = kind,
                Name = RequireName(request.Name),
                Connector = connector.Name,
                Config = ctx.Vault.Seal(request.Config, spec),
                CreatedAt = now,
                UpdatedAt = now,
            }, ct);
            ApiContext.SetETag(http, actor.Version);
            var response = Response(ctx, actor);
            AuditTrail.Record(http, null, response);
            return TypedResults.Created($"/api/v1/{plural}/{actor.Id}", response);
        }).RequireRole(Role.Editor).WithName($"create-{kind.ToString().ToLowerInvariant()}");
        group.MapPut("/{id}", async (string id, ActorRequest request, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var existing = await FindAsync(ctx, http, kind, id, ct);
            var connector = Connector(ctx, kind, request.Connector);
            // A secret sent back as the mask keeps its stored (encrypted) value; validation sees the plaintext. An external
            // connector's spec (which says what its secrets are) depends only on how it is started, not on its secrets.
            var spec = await ConnectorSpecs.ForConfigAsync(connector, ConfigReferences.Resolve(ctx.Vault.Reveal(SecretMasker.KeepMaskedSecrets(request.Config, existing.Config, connector.Spec()))), ct);
            var config = SecretMasker.KeepMaskedSecrets(request.Config, existing.Config, spec);
            ConfigValidator.Validate(spec, ConfigReferences.Resolve(ctx.Vault.Reveal(config)), connector.Name);
            var expected = ApiContext.ExpectedVersion(http, request.Version);
            var updated = await ctx.Store.Actors.UpdateAsync(existing with
            {
                Name = RequireName(request.Name),
                Connector = connector.Name,
                Config = ctx.Vault.Seal(config, spec),
                Version = expected,
                UpdatedAt = ctx.Time.GetUtcNow(),
            }, ct);
            ApiContext.SetETag(http, updated.Version);
            var response = Response(ctx, updated);
            AuditTrail.Record(http, Response(ctx, existing), response);
            return TypedResults.Ok(response);
        }).RequireRole(Role.Editor).WithName($"update-{kind.ToString().ToLowerInvariant()}");
        group.MapDelete("/{id}", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var actor = await FindAsync(ctx, http, kind, id, ct);
            AuditTrail.Record(http, Response(ctx, actor), null);
            await ctx.Store.Actors.DeleteAsync(actor.Id, ct);
            return TypedResults.NoContent();
        }).RequireRole(Role.Editor).WithName($"delete-{kind.ToString().ToLowerInvariant()}");
        group.MapPost("/{id}/check", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            var actor = await FindAsync(ctx, http, kind, id, ct);
            return TypedResults.Ok(await CheckAsync(ctx, actor.Connector, ctx.Vault.Reveal(actor.Config), ct));
        }).RequireRole(Role.Editor).WithConnectorTimeout().WithName($"check-{kind.ToString().ToLowerInvariant()}");
        group.MapPost("/check", async (ActorRequest request, ApiContext ctx, CancellationToken ct) =>
            TypedResults.Ok(await CheckAsync(ctx, request.Connector, request.Config, ct))).RequireRole(Role.Editor).WithConnectorTimeout().WithName($"check-new-{kind.ToString().ToLowerInvariant()}");
        if (kind == ActorKind.Source)
        {
            group.MapPost("/{id}/discover", async (string id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            {
                var actor = await FindAsync(ctx, http, kind, id, ct);
                var catalog = await ctx.Registry.Source(actor.Connector).DiscoverAsync(ctx.Resolver.ConfigOf(actor), ct);
                return TypedResults.Ok(AirbyteCatalogJson.ToJson(catalog));
            }).RequireRole(Role.Editor).WithConnectorTimeout().WithName("discover-source");
        }
    }

    private static async Task<CheckResponse> CheckAsync(ApiContext ctx, string? connectorName, JsonObject? config, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(connectorName))
            throw new ConfigException("connector", "is required", "name one of GET /api/v1/connectors");
        config ??= [];
        var connector = ctx.Registry.Get(connectorName);
        var resolved = ConfigReferences.Resolve(config);
        var errors = ConfigValidator.Errors(await ConnectorSpecs.ForConfigAsync(connector, resolved, ct), resolved, connector.Name);
        if (errors.Count > 0)
            return new CheckResponse(false, string.Join("; ", errors.Select(e => e.Message)));
        var result = await connector.CheckAsync(resolved, ct);
        return new CheckResponse(result.Succeeded, result.Message);
    }

    internal static async Task<Actor> FindAsync(ApiContext ctx, HttpContext http, ActorKind kind, string idOrName, CancellationToken ct)
    {
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var actor = Guid.TryParse(idOrName, out var id)
            ? await ctx.Store.Actors.GetAsync(id, ct)
            : await ctx.Store.Actors.FindByNameAsync(workspace.Id, kind, idOrName, ct);
        // The caller's role was checked in the request's workspace: an id from another workspace does not exist for them.
        return actor is not null && actor.Kind == kind && actor.WorkspaceId == workspace.Id ? actor : throw new NotFoundException(kind.ToString().ToLowerInvariant(), idOrName);
    }

    private static IConnector Connector(ApiContext ctx, ActorKind kind, string name) =>
        kind == ActorKind.Source ? ctx.Registry.Source(name ?? "") : ctx.Registry.Destination(name ?? "");

    internal static string RequireName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ConfigException("name", "is required", "give it a name unique in the workspace") : name.Trim();

    private static ActorResponse Response(ApiContext ctx, Actor a) =>
        new(a.Id, a.Name, a.Connector, MaskSealed(SecretMasker.Apply(a.Config, ctx.Registry.Get(a.Connector).Spec())), a.Version, a.CreatedAt, a.UpdatedAt);

    /// <summary>
    /// Masks every encrypted value, not only those the static spec names: an external connector's secrets are known
    /// from its own spec, which is not run again for every response.
    /// </summary>
    private static JsonObject MaskSealed(JsonObject config)
    {
        foreach (var (key, value) in config.ToList())
        {
            if (Secrets.SecretVault.IsEnvelope(value))
                config[key] = SecretMasker.Mask;
            else if (value is JsonObject nested)
                MaskSealed(nested);
        }

        return config;
    }
}
