using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

public static class SecurityServices
{
    /// <summary>Token and session authentication, one policy per role, and the login throttle.</summary>
    public static IServiceCollection AddSluiceSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(SluiceClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, SluiceAuthenticationHandler>(SluiceClaims.Scheme, null);
        services.AddAuthorization(o =>
        {
            foreach (var role in Enum.GetValues<Role>())
                o.AddPolicy(RoleRequirement.PolicyName(role), p => p.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(role)));
            // An endpoint that forgot to declare a role still needs a signed-in caller (the matrix test fails it as well).
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<CredentialCache>();
        return services;
    }
}
