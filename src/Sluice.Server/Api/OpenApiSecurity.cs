using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>
/// Describes authentication in the OpenAPI document: the bearer-token and session-cookie schemes, which operations need
/// them and with which role, their 401 and 403 answers, the <c>workspace</c> parameter, and <c>If-Match</c> on updates.
/// </summary>
public static class OpenApiSecurity
{
    public const string BearerScheme = "bearer";
    public const string SessionScheme = "session";

    public static IServiceCollection AddSluiceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Sluice API";
                doc.Info.Description = "Workspaces, connectors, sources, destinations, connections, jobs, DAGs, runs, users, API tokens and the audit log. "
                    + "Lists take limit and cursor and answer {items, next, nextCursor}; updates need the version (If-Match or the body's version).";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "An API token (slu_...) made with POST /api/v1/tokens; it acts with the lower of its own role and its owner's.",
                };
                doc.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = SluiceAuthenticationHandler.SessionCookie,
                    Description = $"The browser session set by POST /api/v1/auth/login; requests that change something also send the {SluiceAuthenticationHandler.CsrfHeader} header.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                    return Task.CompletedTask;
                var role = MinimumRole(metadata.OfType<IAuthorizeData>());
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme, context.Document)] = [] },
                ];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses["401"] = Problem("Not signed in: no, an unknown, an expired or a revoked token or session.");
                operation.Responses["403"] = Problem($"Signed in, but without the {Name(role)} role in the workspace.");
                operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n")
                    + $"Needs the **{Name(role)}** role in the workspace named by `workspace` (default: `default`).";
                operation.Parameters ??= [];
                if (!operation.Parameters.Any(p => p.Name == "workspace"))
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "workspace", In = ParameterLocation.Query, Required = false,
                        Description = "The workspace to act in; default `default`.", Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                if (string.Equals(context.Description.HttpMethod, "PUT", StringComparison.OrdinalIgnoreCase))
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "If-Match", In = ParameterLocation.Header, Required = false,
                        Description = "The ETag (version) that was read; a stale one is refused with 412. Without it, the body's version is required (a stale one is 409).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                    operation.Responses["409"] = Problem("The body's version is stale: someone else changed it since it was read.");
                    operation.Responses["412"] = Problem("The If-Match version is stale: someone else changed it since it was read.");
                    operation.Responses["428"] = Problem("No version was sent: send If-Match or the body's version.");
                }
                return Task.CompletedTask;
            });
        });

    private static Role MinimumRole(IEnumerable<IAuthorizeData> data)
    {
        var minimum = Role.Viewer;
        foreach (var item in data)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                if (item.Policy == RoleRequirement.PolicyName(role) && role > minimum)
                    minimum = role;
            }
        }
        return minimum;
    }

    private static string Name(Role role) => role.ToString().ToLowerInvariant();

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
        },
    };
}
