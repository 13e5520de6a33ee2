namespace FTLPortal.Federation.Remote;

/// <summary>What a remote agent offers, sent when it connects.</summary>
public sealed record AgentAnnouncement(IReadOnlyList<string> EngineNames, bool SupportsSecureAggregation, string AgentVersion);
