using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// The remote agents connected to this portal node, one live connection per partner (a newer connection of the same partner
/// replaces the older, which is closed). The agents hub adds and removes them; <see cref="RemoteAgent"/> calls through them.
/// </summary>
public sealed class RemoteAgentConnections(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, RemoteAgentConnection> _byPartner = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastDisconnected = new();

    /// <summary>Registers a new connection; the partner's previous one, if any, is closed.</summary>
    public void Connected(AgentKeyIdentity identity, string connectionId, ISingleClientProxy client, Action abort)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var connection = new RemoteAgentConnection(identity, connectionId, client, abort, clock.GetUtcNow());
        RemoteAgentConnection? previous = null;
        _byPartner.AddOrUpdate(identity.PartnerId, connection, (_, old) =>
        {
            previous = old;
            return connection;
        });
        previous?.Abort();
    }

    /// <summary>The agent said what it offers (its first message after connecting).</summary>
    public void Announced(string connectionId, IReadOnlyList<string> engineNames, bool supportsSecureAggregation)
    {
        foreach (var connection in _byPartner.Values.Where(c => c.ConnectionId == connectionId))
        {
            connection.EngineNames = engineNames;
            connection.SupportsSecureAggregation = supportsSecureAggregation;
        }
    }

    public void Disconnected(string connectionId)
    {
        foreach (var (partnerId, connection) in _byPartner)
        {
            if (connection.ConnectionId == connectionId && _byPartner.TryRemove(new KeyValuePair<Guid, RemoteAgentConnection>(partnerId, connection)))
            {
                _lastDisconnected[partnerId] = clock.GetUtcNow();
            }
        }
    }

    /// <summary>Closes every connection made with the key (it was revoked).</summary>
    public void DisconnectKey(Guid keyId)
    {
        foreach (var connection in _byPartner.Values.Where(c => c.Identity.KeyId == keyId))
        {
            connection.Abort();
        }
    }

    public RemoteAgentConnection? Of(Guid partnerId) => _byPartner.GetValueOrDefault(partnerId);

    public DateTimeOffset? LastDisconnectedAt(Guid partnerId) => _lastDisconnected.TryGetValue(partnerId, out var at) ? at : null;
}
