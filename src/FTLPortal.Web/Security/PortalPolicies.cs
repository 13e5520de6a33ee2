using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace FTLPortal.Web.Security;

/// <summary>Named authorization policies for pages, endpoints and the navigation menu.</summary>
public static class PortalPolicies
{
    public const string CanManageDomains = nameof(CanManageDomains);

    public const string CanRunScience = nameof(CanRunScience);

    public const string CanOperate = nameof(CanOperate);

    public const string IsAdmin = nameof(IsAdmin);

    /// <summary>A partner's remote agent, authenticated by its agent key (users' cookies do not count).</summary>
    public const string IsAgent = nameof(IsAgent);

    public static void Add(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(CanManageDomains, p => p.RequireRole(PortalRoles.PartnerAdmin, PortalRoles.Admin));
        options.AddPolicy(CanRunScience, p => p.RequireRole(PortalRoles.DataScientist, PortalRoles.Admin));
        options.AddPolicy(CanOperate, p => p.RequireRole(PortalRoles.Ops, PortalRoles.Admin));
        options.AddPolicy(IsAdmin, p => p.RequireRole(PortalRoles.Admin));
        options.AddPolicy(IsAgent, p => p
            .AddAuthenticationSchemes(AgentKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(AgentKeyAuthentication.PartnerClaim));

        // Every endpoint without its own authorization metadata needs a signed-in user: pages, the API,
        // hubs. Sign-in, /health and static files opt out explicitly.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
