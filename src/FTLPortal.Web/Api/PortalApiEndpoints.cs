using System.Text.Json.Serialization;
using FTLPortal.Infrastructure.Scheduling;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Api;

/// <summary>The portal's HTTP API under <c>/api</c> (cookie-authenticated for now) and its OpenAPI document.</summary>
public static class PortalApiEndpoints
{
    /// <summary>Path prefixes where an unauthenticated or forbidden request gets a status code instead of a redirect to sign-in.</summary>
    internal static readonly PathString[] NonBrowserPaths = ["/api", "/hubs"];

    /// <summary>OpenAPI, JSON enums as names, ProblemDetails, and 401/403 instead of sign-in redirects under /api and /hubs.</summary>
    internal static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddOpenApi();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ApiCookieRedirects>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();
        var api = endpoints.MapGroup("/api").RequireAuthorization();
        api.MapDomainEndpoints();
        api.MapSimilarityEndpoints();
        api.MapBaseModelEndpoints();
        api.MapJobEndpoints();
        return endpoints;
    }

    internal static bool IsNonBrowserPath(PathString path) => NonBrowserPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Wraps every cookie scheme's redirect events: under /api and /hubs answer 401/403 (and 403 under /hangfire), elsewhere keep the
    /// configured behaviour (the redirect to sign-in that pages want).
    /// </summary>
    private sealed class ApiCookieRedirects : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            var events = options.Events ?? new CookieAuthenticationEvents();
            var toLogin = events.OnRedirectToLogin;
            var toAccessDenied = events.OnRedirectToAccessDenied;
            events.OnRedirectToLogin = context =>
            {
                if (IsNonBrowserPath(context.Request.Path))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                return toLogin(context);
            };
            events.OnRedirectToAccessDenied = context =>
            {
                // The Hangfire dashboard too: a signed-in user without the role gets a plain 403, not the portal's page.
                if (IsNonBrowserPath(context.Request.Path) || context.Request.Path.StartsWithSegments(HangfireDashboardEndpoints.DefaultPath, StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }

                return toAccessDenied(context);
            };
            options.Events = events;
        }
    }
}
