namespace FTLPortal.Core.Operations;

/// <summary>A partner's agent: when it last answered, and whether its last call failed.</summary>
public sealed record AgentHealth(Guid PartnerId, string PartnerName, DateTimeOffset? LastSeenAt, string? LastError)
{
    /// <summary>Seen within <paramref name="window"/> of <paramref name="now"/> and its last call succeeded.</summary>
    public bool IsHealthy(DateTimeOffset now, TimeSpan window) => LastSeenAt is { } seen && now - seen <= window && LastError is null;
}
