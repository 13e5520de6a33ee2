using System.Collections.Concurrent;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>When each partner's agent last answered a call, and the error of its last call if it failed. In memory: an agent proves itself again after a restart.</summary>
public sealed class AgentHealthLog(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset? LastSeenAt, string? LastError)> _entries = new();

    public void Answered(Guid partnerId) => _entries[partnerId] = (clock.GetUtcNow(), null);

    public void Failed(Guid partnerId, string error) =>
        _entries.AddOrUpdate(partnerId, _ => (null, error), (_, old) => (old.LastSeenAt, error));

    public (DateTimeOffset? LastSeenAt, string? LastError) Of(Guid partnerId) =>
        _entries.TryGetValue(partnerId, out var entry) ? entry : (null, null);
}
