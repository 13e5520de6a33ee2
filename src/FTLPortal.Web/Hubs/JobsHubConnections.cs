using System.Collections.Concurrent;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Hubs;

/// <summary>
/// This node's hub connections and the broad groups they joined, so the forwarder can leave out of a
/// <c>job:{id}</c> send the connections that already get the event through <c>staff</c> or <c>partner:{id}</c>
/// (SignalR does not de-duplicate across groups).
/// </summary>
public sealed class JobsHubConnections
{
    private readonly ConcurrentDictionary<string, PortalUserContext> _connections = new(StringComparer.Ordinal);

    public void Add(string connectionId, PortalUserContext user) => _connections[connectionId] = user;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Connections that receive <paramref name="jobEvent"/> through their broad groups.</summary>
    public IReadOnlyList<string> CoveredByBroadGroups(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        return _connections
            .Where(c => c.Value.SeesAllJobs || (c.Value.PartnerId is { } p && jobEvent.PartnerIds.Contains(p)))
            .Select(c => c.Key)
            .ToList();
    }
}
