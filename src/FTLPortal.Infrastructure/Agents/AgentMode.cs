namespace FTLPortal.Infrastructure.Agents;

/// <summary>Where a partner's agent runs (<c>Portal:Agents:&lt;slug&gt;:Mode</c>).</summary>
public enum AgentMode
{
    /// <summary>In the portal process, on a folder under data/agents (the embedded default).</summary>
    InProcess,

    /// <summary>At the partner's own site: <c>FTLPortal.Agent serve</c> dials in to the agents hub with the partner's key.</summary>
    Remote,
}
