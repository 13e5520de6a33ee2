using FTLPortal.Federation.Remote;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Web.Hubs;

/// <summary>
/// <c>/hubs/agents</c>: where a partner's own agent connects, with its agent key (never a user's cookie). The portal calls the
/// agent through the connection (<see cref="RemoteAgent"/>); the agent only announces what it offers.
/// </summary>
[Authorize(Policy = PortalPolicies.IsAgent)]
public sealed class AgentsHub(RemoteAgentConnections connections, IHubContext<AgentsHub> hub, AgentHealthLog health) : Hub
{
    private const int MaxEngines = 16;
    private const int MaxEngineNameLength = 64;

    public override async Task OnConnectedAsync()
    {
        var identity = AgentKeyAuthentication.IdentityOf(Context.User!);
        var context = Context;
        connections.Connected(identity, context.ConnectionId, hub.Clients.Client(context.ConnectionId), context.Abort);
        health.Answered(identity.PartnerId);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The agent's engines and whether it takes part in secure aggregation; refused when malformed.</summary>
    public void Announce(AgentAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var engines = announcement.EngineNames ?? [];
        if (engines.Count is 0 or > MaxEngines || engines.Any(e => string.IsNullOrWhiteSpace(e) || e.Length > MaxEngineNameLength))
        {
            throw new HubException($"An agent announces 1 to {MaxEngines} engine names of at most {MaxEngineNameLength} characters.");
        }

        connections.Announced(Context.ConnectionId, engines.ToList(), announcement.SupportsSecureAggregation);
        health.Answered(AgentKeyAuthentication.IdentityOf(Context.User!).PartnerId);
    }
}
