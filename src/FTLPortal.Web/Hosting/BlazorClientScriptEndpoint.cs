using Microsoft.Net.Http.Headers;

namespace FTLPortal.Web.Hosting;

/// <summary>
/// Serves _framework/blazor.web.js from this assembly's embedded copy (see BlazorClientScript.targets).
/// When the project is built with UseFrameworkBlazorScript=true there is no embedded copy and the
/// framework's static web asset serves the script instead.
/// </summary>
public static class BlazorClientScriptEndpoint
{
    public const string Path = "/_framework/blazor.web.js";

    internal const string ResourceName = "FTLPortal.Web.blazor.web.js";

    private static readonly Lazy<byte[]?> Script = new(Load);

    /// <summary>The embedded script, or null when the framework serves it.</summary>
    public static byte[]? Contents => Script.Value;

    public static IEndpointRouteBuilder MapBlazorClientScript(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (Contents is not { } script)
        {
            return endpoints;
        }

        // The bytes change only with the pack version, so a content hash is a stable validator.
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(script))[..16]}\"");
        endpoints.MapGet(Path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(script, "text/javascript; charset=utf-8", entityTag: etag);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }

    private static byte[]? Load()
    {
        using var stream = typeof(BlazorClientScriptEndpoint).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
