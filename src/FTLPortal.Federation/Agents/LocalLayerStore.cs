using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// An agent's memory of the local layers (FedBN: batch-norm layers with local statistics) of each (run, domain): the
/// tensors its last round of local training ended with. Bounded two ways: an entry not used for
/// <c>retention</c> is dropped, and beyond <c>capacity</c> entries the least recently used go. Thread-safe.
/// </summary>
internal sealed class LocalLayerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string RunId, string DomainId), Entry> _entries = [];
    private readonly TimeSpan _retention;
    private readonly int _capacity;
    private readonly TimeProvider _clock;

    public LocalLayerStore(TimeSpan retention, int capacity, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), "The local-state retention must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _retention = retention;
        _capacity = capacity;
        _clock = clock;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The kept tensors of (<paramref name="runId"/>, <paramref name="domainId"/>), as a copy; marks the entry used.</summary>
    public bool TryGet(string runId, string domainId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WeightSet? state)
    {
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            DropExpired(now);
            if (_entries.TryGetValue((runId, domainId), out Entry? entry))
            {
                entry.LastUsed = now;
                state = entry.State.Clone();
                return true;
            }
        }

        state = null;
        return false;
    }

    /// <summary>Keeps a copy of <paramref name="state"/> for (<paramref name="runId"/>, <paramref name="domainId"/>), replacing any earlier one.</summary>
    public void Set(string runId, string domainId, WeightSet state)
    {
        ArgumentNullException.ThrowIfNull(state);
        WeightSet copy = state.Clone();
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            DropExpired(now);
            _entries[(runId, domainId)] = new Entry(copy) { LastUsed = now };
            while (_entries.Count > _capacity)
            {
                (string, string) oldest = _entries.MinBy(e => e.Value.LastUsed).Key;
                _entries.Remove(oldest);
            }
        }
    }

    public void Remove(string runId, string domainId)
    {
        lock (_gate)
        {
            _entries.Remove((runId, domainId));
        }
    }

    /// <summary>Forgets every run's state of <paramref name="domainId"/> (its data was replaced or deleted).</summary>
    public void RemoveDomain(string domainId)
    {
        lock (_gate)
        {
            foreach ((string, string) key in _entries.Keys.Where(k => string.Equals(k.DomainId, domainId, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        if (_entries.Count == 0)
        {
            return;
        }

        foreach ((string, string) key in _entries.Where(e => now - e.Value.LastUsed > _retention).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry(WeightSet state)
    {
        public WeightSet State { get; } = state;

        public DateTimeOffset LastUsed { get; set; }
    }
}
