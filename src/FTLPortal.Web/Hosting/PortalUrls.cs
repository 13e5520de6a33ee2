namespace FTLPortal.Web.Hosting;

/// <summary>The portal listens on http://127.0.0.1:5080 unless the host is told otherwise.</summary>
public static class PortalUrls
{
    public const string Default = "http://127.0.0.1:5080";

    /// <summary>
    /// Binds the default only when nothing else chose an address: ASPNETCORE_URLS / --urls ("urls"),
    /// ASPNETCORE_HTTP_PORTS (set by the official container images), or a Kestrel endpoint section.
    /// </summary>
    public static void UseDefaultWhenUnconfigured(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(configuration["urls"])
            || !string.IsNullOrWhiteSpace(configuration["http_ports"])
            || !string.IsNullOrWhiteSpace(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!configured)
        {
            builder.WebHost.UseUrls(Default);
        }
    }
}
