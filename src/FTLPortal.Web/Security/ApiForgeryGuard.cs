using FTLPortal.Web.Api;

namespace FTLPortal.Web.Security;

/// <summary>
/// CSRF protection for the cookie-authenticated API. A state-changing request (anything but GET, HEAD, OPTIONS, TRACE)
/// under /api is accepted only when a page of another origin could not have sent it without CORS approval, which the
/// portal never gives:
/// <list type="bullet">
/// <item>it is not a "simple" request: POST needs a JSON body (<c>application/json</c>) or the <see cref="HeaderName"/>
/// header, because forms and no-cors fetches can only send form, multipart and text bodies without custom headers
/// (PUT, PATCH and DELETE always need a preflight);</item>
/// <item>and a browser that says where the request came from (<c>Sec-Fetch-Site</c>) says <c>same-origin</c> or
/// <c>none</c>: another port of the same host is same-site, so SameSite=Lax cookies alone do not stop it.</item>
/// </list>
/// Non-browser clients (scripts, agents) send the header or JSON and no Sec-Fetch-Site.
/// </summary>
public sealed class ApiForgeryGuard(RequestDelegate next)
{
    /// <summary>Any non-empty value; its presence makes a cross-origin request need a CORS preflight.</summary>
    public const string HeaderName = "X-FTL-Request";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!PortalApiEndpoints.IsApiPath(request.Path) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            await next(context);
            return;
        }

        var refusal = Refusal(request);
        if (refusal is null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Cross-site request refused.", Detail = refusal },
        });
    }

    private static string? Refusal(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return $"This request came from another site ({site}); the API accepts changes only from the portal's own pages and from API clients.";
        }

        if (!HttpMethods.IsPost(request.Method) || request.Headers[HeaderName].ToString().Length > 0 || IsJson(request.ContentType))
        {
            return null;
        }

        return $"Send a JSON body (Content-Type: application/json) or the header {HeaderName}: 1 with this request (protection against cross-site requests).";
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);
}
