namespace FTLPortal.Core.Operations;

/// <summary>A partner's agent: when it last answered, and whether its last call failed.</summary>
public sealed record AgentHealth(Guid PartnerId, string PartnerName, DateTimeOffset? LastSeenAt, string? LastError)
{
    /// <summary>The partner's own agent, at its site (connects to the portal), rather than one in the portal process.</summary>
    public bool IsRemote { get; init; }

    /// <summary>For a remote agent: since when its current connection is up (null while it is not connected).</summary>
    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>For a remote agent that is not connected: when its last connection ended, if this node saw one.</summary>
    public DateTimeOffset? DisconnectedAt { get; init; }

    public bool IsConnected => ConnectedSince is not null;

    /// <summary>Seen within <paramref name="window"/> of <paramref name="now"/> and its last call succeeded.</summary>
    public bool IsHealthy(DateTimeOffset now, TimeSpan window) =>
        (!IsRemote || IsConnected) && LastSeenAt is { } seen && now - seen <= window && LastError is null;
}
