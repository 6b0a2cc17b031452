using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Sluice.Server.Tests;

/// <summary>The OpenAPI document against the app itself: valid, complete, and honest about authentication.</summary>
public sealed class ApiContractTests
{
    [Fact]
    public async Task OpenApi_document_is_valid_lists_every_endpoint_and_documents_auth_and_paging()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Anonymous();
        var json = await client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.True(read.Diagnostic is null || read.Diagnostic.Errors.Count == 0, string.Join("\n", read.Diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        var document = read.Document!;
        var invalid = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(invalid.Count == 0, string.Join("\n", invalid.Select(e => $"{e.Pointer}: {e.Message}")));

        Assert.Equal(SecuritySchemeType.Http, document.Components!.SecuritySchemes!["bearer"].Type);
        Assert.Equal(ParameterLocation.Cookie, document.Components.SecuritySchemes["session"].In);

        var failures = new List<string>();
        foreach (var endpoint in server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)
                continue;
            // OpenAPI paths drop route constraints: /jobs/{id:long} is /jobs/{id}.
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.Trim('/'), @"\{([^}:]+)(:[^}]+)?\}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                if (document.Paths.TryGetValue(path, out var item) is false || item.Operations?.TryGetValue(HttpMethod.Parse(method), out var operation) != true)
                {
                    failures.Add($"{method} {path} is mapped but not in the OpenAPI document");
                    continue;
                }
                var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
                if (anonymous)
                    continue;
                if (operation!.Security is not { Count: > 0 })
                    failures.Add($"{method} {path} has no security requirement");
                if (operation.Responses?.ContainsKey("401") != true || operation.Responses?.ContainsKey("403") != true)
                    failures.Add($"{method} {path} does not document 401 and 403");
                if (method == "PUT" && operation.Responses?.ContainsKey("412") != true)
                    failures.Add($"{method} {path} does not document 412 for a stale If-Match");
            }
        }
        foreach (var list in new[] { "/api/v1/sources", "/api/v1/destinations", "/api/v1/connections", "/api/v1/jobs", "/api/v1/dags", "/api/v1/runs", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit", "/api/v1/workspaces", "/api/v1/connectors" })
        {
            var parameters = document.Paths[list].Operations![HttpMethod.Get].Parameters?.Select(p => p.Name).ToList() ?? [];
            if (!parameters.Contains("limit") || !parameters.Contains("cursor"))
                failures.Add($"GET {list} does not document limit and cursor");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
