using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Tests;

/// <summary>
/// Every endpoint the app maps, found through its EndpointDataSource, against the expected table below: an endpoint
/// missing from the table (a new one), one whose declared role differs from the table, and a table entry no endpoint
/// answers all fail. Each protected endpoint must then refuse a caller without credentials with 401 and a caller one role
/// too weak with 403, let a caller with the right role through (neither 401 nor 403), and write an audit entry for
/// that caller's change when it is not a read.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    /// <summary>Method and route pattern → the least role it needs; null marks the few that are public.</summary>
    private static readonly Dictionary<string, Role?> Expected = new()
    {
        ["GET /healthz"] = null,
        ["GET /openapi/{documentName}.json"] = null,
        ["GET /docs"] = null,
        // The web UI's page shell: no data in it (the pages fetch /api/v1); /api and /openapi misses answer 404 there.
        ["GET /{*path:nonfile}"] = null,
        ["POST /api/v1/auth/login"] = null,
        ["POST /api/v1/auth/logout"] = Role.Viewer,
        ["GET /api/v1/auth/me"] = Role.Viewer,
        ["GET /api/v1/users"] = Role.Admin,
        ["GET /api/v1/users/{id:guid}"] = Role.Admin,
        ["POST /api/v1/users"] = Role.Admin,
        ["PUT /api/v1/users/{id:guid}"] = Role.Admin,
        ["DELETE /api/v1/users/{id:guid}"] = Role.Admin,
        ["GET /api/v1/tokens"] = Role.Admin,
        ["POST /api/v1/tokens"] = Role.Admin,
        ["DELETE /api/v1/tokens/{id:guid}"] = Role.Admin,
        ["GET /api/v1/audit"] = Role.Admin,
        ["GET /api/v1/workspaces"] = Role.Viewer,
        ["POST /api/v1/workspaces"] = Role.Admin,
        ["GET /api/v1/connectors"] = Role.Viewer,
        ["GET /api/v1/connectors/{name}"] = Role.Viewer,
        ["POST /api/v1/connectors/{name}/spec"] = Role.Editor,
        ["GET /api/v1/sources"] = Role.Viewer,
        ["GET /api/v1/sources/{id}"] = Role.Viewer,
        ["POST /api/v1/sources"] = Role.Editor,
        ["PUT /api/v1/sources/{id}"] = Role.Editor,
        ["DELETE /api/v1/sources/{id}"] = Role.Editor,
        ["POST /api/v1/sources/{id}/check"] = Role.Editor,
        ["POST /api/v1/sources/check"] = Role.Editor,
        ["POST /api/v1/sources/{id}/discover"] = Role.Editor,
        ["GET /api/v1/destinations"] = Role.Viewer,
        ["GET /api/v1/destinations/{id}"] = Role.Viewer,
        ["POST /api/v1/destinations"] = Role.Editor,
        ["PUT /api/v1/destinations/{id}"] = Role.Editor,
        ["DELETE /api/v1/destinations/{id}"] = Role.Editor,
        ["POST /api/v1/destinations/{id}/check"] = Role.Editor,
        ["POST /api/v1/destinations/check"] = Role.Editor,
        ["GET /api/v1/connections"] = Role.Viewer,
        ["GET /api/v1/connections/{id}"] = Role.Viewer,
        ["POST /api/v1/connections"] = Role.Editor,
        ["PUT /api/v1/connections/{id}"] = Role.Editor,
        ["DELETE /api/v1/connections/{id}"] = Role.Editor,
        ["POST /api/v1/connections/{id}/sync"] = Role.Editor,
        ["GET /api/v1/connections/{id}/jobs"] = Role.Viewer,
        ["GET /api/v1/connections/{id}/state"] = Role.Viewer,
        ["POST /api/v1/connections/{id}/reset"] = Role.Editor,
        ["GET /api/v1/connections/{id}/schema-changes"] = Role.Viewer,
        ["POST /api/v1/connections/{id}/pause"] = Role.Editor,
        ["POST /api/v1/connections/{id}/resume"] = Role.Editor,
        ["GET /api/v1/jobs"] = Role.Viewer,
        ["GET /api/v1/jobs/{id:long}"] = Role.Viewer,
        ["GET /api/v1/jobs/{id:long}/attempts"] = Role.Viewer,
        ["POST /api/v1/jobs/{id:long}/cancel"] = Role.Editor,
        ["GET /api/v1/jobs/{id:long}/logs"] = Role.Viewer,
        ["GET /api/v1/dags"] = Role.Viewer,
        ["GET /api/v1/dags/{name}"] = Role.Viewer,
        ["POST /api/v1/dags"] = Role.Editor,
        ["PUT /api/v1/dags/{name}"] = Role.Editor,
        ["POST /api/v1/dags/{name}/pause"] = Role.Editor,
        ["POST /api/v1/dags/{name}/unpause"] = Role.Editor,
        ["POST /api/v1/dags/{name}/trigger"] = Role.Editor,
        ["POST /api/v1/dags/{name}/backfill"] = Role.Editor,
        ["GET /api/v1/dags/{name}/runs"] = Role.Viewer,
        ["GET /api/v1/runs"] = Role.Viewer,
        ["GET /api/v1/runs/{id:long}"] = Role.Viewer,
        ["GET /api/v1/runs/{id:long}/tasks"] = Role.Viewer,
        ["POST /api/v1/runs/{id:long}/tasks/{task}/clear"] = Role.Editor,
        ["POST /api/v1/runs/{id:long}/tasks/{task}/mark"] = Role.Editor,
        ["POST /api/v1/runs/{id:long}/mark"] = Role.Editor,
        ["GET /api/v1/runs/{id:long}/tasks/{task}/logs"] = Role.Viewer,
        ["GET /api/v1/schedules/preview"] = Role.Viewer,
        ["GET /api/v1/workers"] = Role.Viewer,
        // Pools are shared by every workspace's DAGs, so changing one is for admins.
        ["GET /api/v1/pools"] = Role.Viewer,
        ["PUT /api/v1/pools/{name}"] = Role.Admin,
        ["DELETE /api/v1/pools/{name}"] = Role.Admin,
    };

    [Fact]
    public async Task Every_endpoint_is_in_the_matrix_and_refuses_missing_or_weak_credentials_and_admits_the_right_role()
    {
        await using var server = await TestServer.StartAsync();
        var clients = new Dictionary<Role, HttpClient>();
        using var nobody = await server.AsRoleAsync(null);
        foreach (var role in Enum.GetValues<Role>())
            clients[role] = await server.AsRoleAsync(role);
        using var anonymous = server.Anonymous();
        var failures = new List<string>();
        var seen = new HashSet<string>();
        var checkedCount = 0;

        foreach (var endpoint in server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var name = $"{method} {pattern}";
                seen.Add(name);
                var declared = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? null : MinimumRole(endpoint);
                if (!Expected.TryGetValue(name, out var expected))
                {
                    failures.Add($"{name} is not in the matrix: add [\"{name}\"] = {(declared is null ? "null" : "Role." + declared)}, after checking that role is right");
                    continue;
                }
                if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null && declared is null)
                {
                    failures.Add($"{name} declares no minimum role (add .RequireRole(...))");
                    continue;
                }
                if (declared != expected)
                {
                    failures.Add($"{name} declares {declared?.ToString() ?? "public"}, the matrix expects {expected?.ToString() ?? "public"}");
                    continue;
                }
                if (expected is not { } minimum)
                    continue;
                var url = Url(pattern);
                // Send a body the endpoint accepts, else routing answers 404/415 before authorization is reached.
                var contentType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
                var status = await SendAsync(anonymous, method, url, contentType);
                if (status != HttpStatusCode.Unauthorized)
                    failures.Add($"{name} without credentials: {(int)status}, expected 401");
                var weaker = minimum == Role.Viewer ? nobody : clients[(Role)((int)minimum - 1)];
                status = await SendAsync(weaker, method, url, contentType);
                if (status != HttpStatusCode.Forbidden)
                    failures.Add($"{name} with a role below {minimum}: {(int)status}, expected 403");
                var before = (await server.Store.Audit.ListAsync(1, null)).FirstOrDefault()?.Id ?? 0;
                status = await SendAsync(clients[minimum], method, url, contentType);
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    failures.Add($"{name} with the {minimum} role: {(int)status}, expected to be let through");
                else if (method != "GET" && !await AuditedAsync(server, before, endpoint))
                    failures.Add($"{name} with the {minimum} role answered {(int)status} but wrote no audit entry");
                checkedCount++;
            }
        }
        foreach (var stale in Expected.Keys.Except(seen))
            failures.Add($"{stale} is in the matrix but the app does not map it: remove the entry");
        foreach (var client in clients.Values)
            client.Dispose();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount >= 55, $"only {checkedCount} protected endpoints checked");
    }

    private static async Task<bool> AuditedAsync(TestServer server, long before, Endpoint endpoint)
    {
        var action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        // The entry is written once the handler has run, which can be a moment after the client has the response.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var entries = await server.Store.Audit.ListAsync(20, null);
            if (entries.Any(e => e.Id > before && (action is null || e.Action == action)))
                return true;
            await Task.Delay(50);
        }
        return false;
    }

    private static Role? MinimumRole(Endpoint endpoint)
    {
        Role? minimum = null;
        foreach (var data in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                if (data.Policy == RoleRequirement.PolicyName(role) && (minimum is null || role > minimum))
                    minimum = role;
            }
        }
        return minimum;
    }

    private static string Url(string pattern) => RouteParameter().Replace(pattern, m => m.Groups["constraint"].Value switch
    {
        "long" => "1",
        _ => Guid.NewGuid().ToString(),
    });

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string url, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, contentType);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)(:(?<constraint>[a-z]+))?\}")]
    private static partial Regex RouteParameter();
}
