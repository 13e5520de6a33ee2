using System.Text.Json.Serialization;

namespace FTLPortal.Web.Hubs;

/// <summary>Registration of the SignalR hubs and the notifier-to-hub forwarder.</summary>
public static class PortalHubsExtensions
{
    /// <summary>Largest message an agent may send (a model update or summary): Portal:AgentChannel:MaxMessageBytes, default 64 MiB.</summary>
    public const long DefaultAgentMessageBytes = 64L * 1024 * 1024;

    internal static IServiceCollection AddPortalHubs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddHubOptions<AgentsHub>(o =>
            {
                // Model updates are megabytes, so the agents' hub takes more than SignalR's 32 KB, but deliberately bounded:
                // a larger answer closes the connection and the partner is dropped from the round. Users' hubs keep the default.
                o.MaximumReceiveMessageSize = configuration.GetValue("Portal:AgentChannel:MaxMessageBytes", DefaultAgentMessageBytes);
                o.MaximumParallelInvocationsPerClient = 1;
            });
        services.AddSingleton<JobsHubConnections>();
        services.AddHostedService<JobHubForwarder>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHubs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<JobsHub>(JobsHub.Path);
        endpoints.MapHub<AgentsHub>(FTLPortal.Federation.Remote.AgentChannel.HubPath);
        return endpoints;
    }
}
