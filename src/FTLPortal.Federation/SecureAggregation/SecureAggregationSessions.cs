using FTLPortal.Federation.Agents;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// A partner agent's secure aggregation state between the protocol's calls: one <see cref="SecureAggregationClient"/>
/// (private keys, self-mask seed, the shares it holds) per <see cref="SecureSession"/>, in memory only. Each step is
/// idempotent for a repeated call (at-least-once delivery): the same keys, shares and masked vector come back, never fresh
/// ones that would let the coordinator compare two maskings. An agent answers one unmasking request per session. A new
/// session of a (run, domain) ends the older ones, and at most <c>maxSessions</c> are kept (the oldest go first); once a
/// session has answered its unmasking request it drops its masked vector (the round is over for it), keeping only the answer.
/// </summary>
public sealed class SecureAggregationSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SecureSession, Session> _sessions = [];
    private readonly int _maxSessions;
    private long _sequence;

    public SecureAggregationSessions(int maxSessions = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        _maxSessions = maxSessions;
    }

    /// <summary>The sessions held (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Step 0: starts the session (or returns its keys again) and advertises its public keys.</summary>
    public KeyAdvertisement Advertise(SecureKeysRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request.Session);
        lock (_gate)
        {
            if (_sessions.TryGetValue(request.Session, out Session? existing)
                && existing.Client.ClientId == request.ClientId && existing.Client.Threshold == request.Threshold)
            {
                return existing.Advertisement;
            }

            foreach (SecureSession stale in _sessions.Keys.Where(k => k.RunId == request.Session.RunId && k.DomainId == request.Session.DomainId).ToList())
            {
                Remove(stale);
            }

            var client = new SecureAggregationClient(request.ClientId, request.Threshold, request.Session.RoundTag);
            _sessions[request.Session] = new Session(client, client.Advertise(), ++_sequence);
            while (_sessions.Count > _maxSessions)
            {
                Remove(_sessions.MinBy(s => s.Value.Sequence).Key);
            }

            return _sessions[request.Session].Advertisement;
        }
    }

    /// <summary>The client id the session was started with.</summary>
    public int ClientId(SecureSession key) => Find(key).Client.ClientId;

    /// <summary>Step 1: this client's sealed shares for the others of <see cref="SecureSharesRequest.Roster"/>.</summary>
    public IReadOnlyList<EncryptedShares> Share(SecureSharesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Session session = Find(request.Session);
        lock (session.Gate)
        {
            return session.Shares ??= session.Client.ShareKeys(request.Roster);
        }
    }

    /// <summary>Throws unless step 1 ran for <paramref name="key"/>: an agent checks this before it trains.</summary>
    public void EnsureShared(SecureSession key)
    {
        Session session = Find(key);
        lock (session.Gate)
        {
            if (session.Shares is null)
            {
                throw new SecureAggregationAbortedException($"Session {key.RoundTag} of domain '{key.DomainId}' has not shared its keys yet.");
            }
        }
    }

    /// <summary>Step 2: <paramref name="input"/> masked with the self mask and the pairwise masks of the senders of <paramref name="received"/>.</summary>
    public ulong[] Mask(SecureSession key, IReadOnlyList<EncryptedShares> received, ulong[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Session session = Find(key);
        lock (session.Gate)
        {
            if (session.Shares is null)
            {
                throw new SecureAggregationAbortedException($"Session {key.RoundTag} of domain '{key.DomainId}' has not shared its keys yet.");
            }

            if (session.Unmasked is not null)
            {
                throw new SecureAggregationAbortedException($"Session {key.RoundTag} of domain '{key.DomainId}' is already unmasked; it masks nothing more.");
            }

            // A repeated call gets the first masked vector: two maskings under one self mask would reveal their difference.
            session.Masked ??= session.Client.MaskInput(received, input);
            return (ulong[])session.Masked.Clone();
        }
    }

    /// <summary>Step 3: the shares that unmask the survivors' sum; refuses a second request with other survivors.</summary>
    public UnmaskingResponse Unmask(SecureUnmaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Survivors);
        Session session = Find(request.Session);
        lock (session.Gate)
        {
            if (session.Unmasked is { } answered)
            {
                return answered.Survivors.SetEquals(request.Survivors)
                    ? answered.Response
                    : throw new SecureAggregationAbortedException(
                        $"Session {request.Session.RoundTag} already answered an unmasking request for other survivors; it answers only one.");
            }

            UnmaskingResponse response = session.Client.Unmask(request.Survivors);
            session.Unmasked = (new HashSet<int>(request.Survivors), response);
            session.Masked = null;
            return response;
        }
    }

    /// <summary>Ends every session, disposing its keys.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (SecureSession key in _sessions.Keys.ToList())
            {
                Remove(key);
            }
        }
    }

    private Session Find(SecureSession key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            return _sessions.TryGetValue(key, out Session? session)
                ? session
                : throw new SecureAggregationAbortedException(
                    $"No secure aggregation session {key.RoundTag} for domain '{key.DomainId}' (never started, ended by a newer one, or lost in a restart).");
        }
    }

    private void Remove(SecureSession key)
    {
        if (_sessions.Remove(key, out Session? session))
        {
            lock (session.Gate)
            {
                session.Client.Dispose();
            }
        }
    }

    private static void Validate(SecureSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrWhiteSpace(session.RunId);
        ArgumentException.ThrowIfNullOrWhiteSpace(session.DomainId);
    }

    private sealed class Session(SecureAggregationClient client, KeyAdvertisement advertisement, long sequence)
    {
        public Lock Gate { get; } = new();

        public SecureAggregationClient Client { get; } = client;

        public KeyAdvertisement Advertisement { get; } = advertisement;

        public long Sequence { get; } = sequence;

        public IReadOnlyList<EncryptedShares>? Shares { get; set; }

        public ulong[]? Masked { get; set; }

        public (HashSet<int> Survivors, UnmaskingResponse Response)? Unmasked { get; set; }
    }
}
