using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>One remote agent's live SignalR connection: the proxy that calls it (client results) and how to close it.</summary>
public sealed class RemoteAgentConnection(AgentKeyIdentity identity, string connectionId, ISingleClientProxy client, Action abort, DateTimeOffset connectedAt)
{
    public AgentKeyIdentity Identity { get; } = identity;

    public string ConnectionId { get; } = connectionId;

    public ISingleClientProxy Client { get; } = client;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    /// <summary>What the agent announced; the built-in engine until it has.</summary>
    public IReadOnlyList<string> EngineNames { get; internal set; } = [Learning.Engines.BuiltInEngine.EngineName];

    public bool SupportsSecureAggregation { get; internal set; }

    public void Abort() => abort();
}
