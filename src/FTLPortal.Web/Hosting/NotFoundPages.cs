namespace FTLPortal.Web.Hosting;

/// <summary>Full-page requests for an unknown address get the branded /not-found page (with status 404).</summary>
public static class NotFoundPages
{
    public static IApplicationBuilder UsePortalNotFoundPage(this IApplicationBuilder app) =>
        // Only browser page loads: the API, hubs, the agent endpoint and static files keep their plain 404s.
        app.UseWhen(IsPageRequest, branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        && !context.Request.Path.StartsWithSegments("/api")
        && !context.Request.Path.StartsWithSegments("/hubs")
        && !context.Request.Path.StartsWithSegments("/_framework")
        && !context.Request.Path.StartsWithSegments("/_content")
        && !context.Request.Path.StartsWithSegments("/hangfire");
}
