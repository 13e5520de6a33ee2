using System.Globalization;
using System.Threading.RateLimiting;

namespace FTLPortal.Web.Security;

/// <summary>
/// ASP.NET Core rate limiting on the sign-in form: at most <c>Portal:SignInAttemptsPerMinute</c> (default 10) posts per
/// client address per minute; more answer 429 with Retry-After. The client address is the connection's, or the
/// forwarded one only when the request came through a configured proxy (see PortalForwardedHeaders).
/// </summary>
public static class SignInRateLimiting
{
    public const string SignInPath = "/account/signin";

    public const int DefaultAttemptsPerMinute = 10;

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var permits = configuration.GetValue("Portal:SignInAttemptsPerMinute", DefaultAttemptsPerMinute);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInPost(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your address. Wait a minute and try again.", ct);
            };
        });
        return services;
    }

    private static bool IsSignInPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase);
}
