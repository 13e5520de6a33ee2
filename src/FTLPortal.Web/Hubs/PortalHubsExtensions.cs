using System.Text.Json.Serialization;

namespace FTLPortal.Web.Hubs;

/// <summary>Registration of the SignalR hubs and the notifier-to-hub forwarder.</summary>
public static class PortalHubsExtensions
{
    internal static IServiceCollection AddPortalHubs(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<JobsHubConnections>();
        services.AddHostedService<JobHubForwarder>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHubs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<JobsHub>(JobsHub.Path);
        return endpoints;
    }
}
