namespace FTLPortal.Core.Agents;

/// <summary>A new key with its secret: the only time the secret exists outside the agent's own configuration.</summary>
public sealed record IssuedAgentKey(AgentKeyRow Key, string Secret);
