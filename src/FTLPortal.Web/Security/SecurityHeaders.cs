namespace FTLPortal.Web.Security;

/// <summary>
/// Response headers for every answer: no MIME sniffing, no framing, no referrer to other sites, and a content security
/// policy Blazor Server and MudBlazor run under: scripts only from the portal itself (blazor.web.js, MudBlazor.min.js,
/// portal.js; no inline script, no eval), styles from the portal plus inline style attributes (MudBlazor sets them),
/// the circuit's WebSocket to the same origin.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // The Hangfire dashboard ships its own inline scripts; it sits behind the Ops policy.
            if (!context.Request.Path.StartsWithSegments("/hangfire"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
