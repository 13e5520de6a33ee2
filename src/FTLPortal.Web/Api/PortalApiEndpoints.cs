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
        // The document's servers come from configuration (Portal:PublicBaseUrl), never from the request's Host header.
        services.AddOpenApi(o => o.AddDocumentTransformer((document, context, _) =>
        {
            var publicUrl = context.ApplicationServices.GetRequiredService<IConfiguration>()["Portal:PublicBaseUrl"];
            document.Servers = string.IsNullOrWhiteSpace(publicUrl) ? [] : [new Microsoft.OpenApi.OpenApiServer { Url = publicUrl }];
            return Task.CompletedTask;
        }));
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Bind failures throw in every environment (not only Development), so ApiExceptionHandler answers them
        // uniformly as problem details with the JSON reader's message.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // null for a non-nullable member (e.g. "domainIds": null) and a missing constructor parameter are 400s at
            // the door, not NullReferenceExceptions (500s) inside a service.
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
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
        api.MapEngineEndpoints();
        api.MapAdminEndpoints();
        api.MapAgentKeyEndpoints();
        return endpoints;
    }

    /// <summary>
    /// Under /api and /hubs: exceptions and bare error statuses (401, 403, 404, 405, 415, ...) become problem details.
    /// Put it first in the pipeline, so it wraps everything after it.
    /// </summary>
    public static IApplicationBuilder UsePortalApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(c => IsNonBrowserPath(c.Request.Path), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });

    internal static bool IsApiPath(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

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

                // Relative, so the Host header of the request is never reflected into the redirect.
                context.RedirectUri = LocalPart(context.RedirectUri);
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

                context.RedirectUri = LocalPart(context.RedirectUri);
                return toAccessDenied(context);
            };
            options.Events = events;
        }

        private static string LocalPart(string redirectUri) =>
            Uri.TryCreate(redirectUri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.PathAndQuery : redirectUri;
    }
}
