using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sluice.Metadata;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>
/// Writes one audit entry for every request that changes something (POST, PUT, PATCH, DELETE under /api/v1), after it has
/// run: who, when, which endpoint, the target, the status. Handlers add the before/after state through
/// <see cref="Record"/>; callers pass it with secrets already masked.
/// </summary>
internal sealed class AuditTrail(RequestDelegate next, IMetadataStore store, Sluice.Server.Api.ApiContext api, TimeProvider time, ILogger<AuditTrail> logger)
{
    private const string BeforeKey = "sluice.audit.before";
    private const string AfterKey = "sluice.audit.after";
    private const string ActorKey = "sluice.audit.actor";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static void Record(HttpContext http, object? before, object? after)
    {
        if (before is not null)
            http.Items[BeforeKey] = JsonSerializer.Serialize(before, Json);
        if (after is not null)
            http.Items[AfterKey] = JsonSerializer.Serialize(after, Json);
    }

    /// <summary>Names the actor for requests that are not authenticated yet (a login).</summary>
    public static void As(HttpContext http, string actor) => http.Items[ActorKey] = actor;

    public async Task InvokeAsync(HttpContext http)
    {
        int? failedWith = null;
        try
        {
            await next(http);
        }
        catch (Exception e) when (Record(http, e, out failedWith))
        {
            throw; // never taken: the filter only notes the status the error will be answered with
        }
        finally
        {
            await AppendAsync(http, failedWith);
        }
    }

    // Refused and failed attempts are audited too (with the status the client gets), not only the changes that happened.
    private static bool Record(HttpContext http, Exception e, out int? status)
    {
        status = Sluice.Server.Api.ApiErrors.Classify(http, e).Status;
        return false;
    }

    private async Task AppendAsync(HttpContext http, int? failedWith)
    {
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || !http.Request.Path.StartsWithSegments("/api/v1") || http.Response.StatusCode == 401)
            return;
        var endpoint = http.GetEndpoint();
        var target = http.Request.RouteValues.TryGetValue("id", out var id) ? id?.ToString() : null;
        try
        {
            Guid? workspace = null;
            try
            {
                workspace = (await api.WorkspaceAsync(http, CancellationToken.None)).Id;
            }
            catch (NotFoundException)
            {
                // a request naming an unknown workspace is still recorded, under no workspace
            }
            await store.Audit.AppendAsync(new AuditEntry
            {
                At = time.GetUtcNow(),
                Actor = http.Items[ActorKey] as string ?? http.User.Name(),
                Action = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName ?? $"{method} {http.Request.Path}",
                Target = target,
                WorkspaceId = workspace,
                Status = failedWith ?? http.Response.StatusCode,
                Before = http.Items[BeforeKey] as string,
                After = http.Items[AfterKey] as string,
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The change itself has happened; losing its audit line must be loud in the log but not fail the response.
            logger.LogError(e, "could not write the audit entry for {Method} {Path}", method, http.Request.Path);
        }
    }
}
