using FTLPortal.Infrastructure.Identity;
using FTLPortal.Web.Api;
using FTLPortal.Web.Common;
using FTLPortal.Web.Hubs;
using FTLPortal.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace FTLPortal.Web;

/// <summary>The web host's services: Blazor, MudBlazor, cookie sign-in, policies, health checks, the HTTP API and the hubs.</summary>
public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<BrowserTimeZone>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        // Agents authenticate with their key on the agents hub only (the IsAgent policy names this scheme).
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AgentKeyAuthentication>(AgentKeyAuthentication.SchemeName, null);
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/signin";
            o.LogoutPath = "/account/signout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "ftl.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is HTTPS, including behind a TLS proxy listed in Portal:KnownProxies.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        // Sign-out, password change, a disabled account or a role change reach every cookie within the interval.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = SessionValidation.Interval);
        services.AddAuthorization(PortalPolicies.Add);
        services.AddCascadingAuthenticationState();
        // After AddInteractiveServerComponents, so it replaces the framework's provider: circuits re-check the user.
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();

        // Replaces Identity's default factory (registered by AddIdentityCore/AddRoles) so the cookie carries partner and display name.
        services.Replace(ServiceDescriptor.Scoped<IUserClaimsPrincipalFactory<PortalUser>, PortalUserClaimsPrincipalFactory>());
        services.TryAddSingleton<DemoPasswordStore>();

        services.AddAntiforgery();
        services.AddSignInRateLimiting(configuration);
        services.AddPortalForwardedHeaders(configuration);
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        // The database check itself ("database") is registered by AddInfrastructure.
        services.AddHealthChecks();

        // The HTTP API and the SignalR hubs register their own parts; this stays the web host's one entry point.
        services.AddPortalApi();
        services.AddPortalHubs(configuration);
        return services;
    }
}
