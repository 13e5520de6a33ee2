using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace FTLPortal.Web.Security;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies in <c>Portal:KnownProxies</c> (IP
/// addresses; loopback when unset). Behind a TLS proxy that makes Request.IsHttps true, so the auth cookie
/// (SecurePolicy SameAsRequest) is Secure, and the sign-in rate limit sees the client's address, not the proxy's.
/// X-Forwarded-Host is never used: the host of redirects and of the OpenAPI servers does not come from requests.
/// </summary>
public static class PortalForwardedHeaders
{
    public static IServiceCollection AddPortalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var proxies = configuration.GetSection("Portal:KnownProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            if (proxies.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });
        return services;
    }
}
