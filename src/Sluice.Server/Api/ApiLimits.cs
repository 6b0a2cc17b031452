using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;

namespace Sluice.Server.Api;

/// <summary>
/// Limits every request lives under: a body of at most <see cref="MaxRequestBodyBytes"/> (413 beyond), a deadline of
/// <see cref="DefaultTimeout"/> (504 beyond; <see cref="ConnectorTimeout"/> for calls that reach a connector's system,
/// none for followed log streams), and bad input (malformed JSON, a query value of the wrong type) reported as a problem
/// detail naming the parameter instead of an empty 400.
/// </summary>
public static class ApiLimits
{
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ConnectorTimeout = TimeSpan.FromMinutes(5);
    public const string ConnectorPolicy = "connector";

    public static IServiceCollection AddApiLimits(this IServiceCollection services, TimeSpan? timeout = null, TimeSpan? connectorTimeout = null)
    {
        services.AddRequestTimeouts(o =>
        {
            o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = timeout ?? DefaultTimeout, TimeoutStatusCode = StatusCodes.Status504GatewayTimeout };
            o.AddPolicy(ConnectorPolicy, new RequestTimeoutPolicy { Timeout = connectorTimeout ?? ConnectorTimeout, TimeoutStatusCode = StatusCodes.Status504GatewayTimeout });
        });
        // Binding failures become exceptions, so ApiErrors answers them with a problem detail like every other error.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>For endpoints that talk to a source or destination (check, discover, building a connection's catalog).</summary>
    public static TBuilder WithConnectorTimeout<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestTimeoutAttribute(ConnectorPolicy));
}
