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
/// Every endpoint the app maps, found through its EndpointDataSource (so a new endpoint is covered without editing this
/// test): it must be one of the few public ones or declare its minimum role, refuse a caller without credentials with
/// 401, and a caller one role too weak with 403.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    // Under /api/v1 only the login is public; outside it (health, OpenAPI, docs, the web UI's static shell) nothing carries data.
    private static readonly HashSet<string> PublicApi = ["POST /api/v1/auth/login"];

    [Fact]
    public async Task Every_endpoint_declares_a_role_and_refuses_missing_or_weak_credentials()
    {
        await using var server = await TestServer.StartAsync();
        var clients = new Dictionary<Role, HttpClient>();
        using var nobody = await server.AsRoleAsync(null);
        foreach (var role in Enum.GetValues<Role>())
            clients[role] = await server.AsRoleAsync(role);
        using var anonymous = server.Anonymous();
        var failures = new List<string>();
        var checkedCount = 0;

        foreach (var endpoint in server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var name = $"{method} {pattern}";
                if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
                {
                    if (pattern.StartsWith("/api/", StringComparison.Ordinal) && !PublicApi.Contains(name))
                        failures.Add($"{name} allows anonymous access but is not on the public list");
                    continue;
                }
                var minimum = MinimumRole(endpoint);
                if (minimum is null)
                {
                    failures.Add($"{name} declares no minimum role (add .RequireRole(...))");
                    continue;
                }
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
                checkedCount++;
            }
        }
        foreach (var client in clients.Values)
            client.Dispose();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount >= 30, $"only {checkedCount} protected endpoints found");
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
