using System.Security.Cryptography;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// The coordinator's side of one secure aggregation round. It routes keys and sealed shares, adds the masked inputs into
/// one running sum as they arrive (it keeps no single client's masked vector), and at the end rebuilds from at least
/// <see cref="Threshold"/> survivors' shares the survivors' self-mask seeds and the dropped clients' mask keys, removes
/// those masks and returns the plain sum. Below the threshold at any step the round aborts.
/// </summary>
public sealed class SecureAggregationServer
{
    private readonly string _roundTag;
    private readonly ulong[] _sum;
    private readonly Dictionary<int, KeyAdvertisement> _roster = [];
    private readonly HashSet<int> _shared = [];
    private readonly HashSet<int> _masked = [];
    private readonly Lock _inputGate = new();

    public SecureAggregationServer(int threshold, int vectorLength, string roundTag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(vectorLength);
        ArgumentException.ThrowIfNullOrWhiteSpace(roundTag);
        Threshold = threshold;
        _roundTag = roundTag;
        _sum = new ulong[vectorLength];
    }

    public int Threshold { get; }

    /// <summary>Bytes received from and sent to clients so far.</summary>
    public long BytesIn { get; private set; }

    public long BytesOut { get; private set; }

    /// <summary>The clients whose masked inputs were added.</summary>
    public IReadOnlyCollection<int> Survivors => _masked;

    /// <summary>Round 0: takes the advertisements and returns the roster to broadcast.</summary>
    public IReadOnlyList<KeyAdvertisement> CollectAdvertisements(IEnumerable<KeyAdvertisement> advertisements)
    {
        ArgumentNullException.ThrowIfNull(advertisements);
        foreach (KeyAdvertisement advertisement in advertisements)
        {
            if (!_roster.TryAdd(advertisement.ClientId, advertisement))
            {
                throw new SecureAggregationAbortedException($"Client {advertisement.ClientId} advertised twice.");
            }

            BytesIn += advertisement.Bytes;
        }

        Require(_roster.Count, "advertised keys");
        List<KeyAdvertisement> roster = [.. _roster.Values.OrderBy(a => a.ClientId)];
        BytesOut += roster.Sum(a => a.Bytes) * roster.Count;
        return roster;
    }

    /// <summary>Round 1: routes the sealed shares of the clients that sent them, to those same clients.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<EncryptedShares>> RouteShares(IEnumerable<EncryptedShares> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        List<EncryptedShares> all = [.. shares];
        foreach (EncryptedShares message in all)
        {
            if (!_roster.ContainsKey(message.From) || !_roster.ContainsKey(message.To))
            {
                throw new SecureAggregationAbortedException($"Shares from {message.From} to {message.To}: not in the roster.");
            }

            _shared.Add(message.From);
            BytesIn += message.Bytes;
        }

        Require(_shared.Count, "shared their keys");
        var routed = _shared.ToDictionary(
            id => id,
            id => (IReadOnlyList<EncryptedShares>)all.Where(m => m.To == id && _shared.Contains(m.From)).ToList());
        BytesOut += routed.Values.Sum(list => list.Sum(m => m.Bytes));
        return routed;
    }

    /// <summary>Round 2: adds one client's masked input to the running sum. Safe to call from several threads at once (agents answer concurrently).</summary>
    public void AddMaskedInput(int clientId, ReadOnlySpan<ulong> masked)
    {
        lock (_inputGate)
        {
            if (!_shared.Contains(clientId) || !_masked.Add(clientId))
            {
                throw new SecureAggregationAbortedException($"Masked input from client {clientId}, which did not share keys or already sent one.");
            }

            if (masked.Length != _sum.Length)
            {
                _masked.Remove(clientId);
                throw new SecureAggregationAbortedException($"Masked input of client {clientId} has {masked.Length} values, expected {_sum.Length}.");
            }

            System.Numerics.Tensors.TensorPrimitives.Add(_sum, masked, _sum);
            BytesIn += sizeof(int) + ((long)masked.Length * sizeof(ulong));
        }
    }

    /// <summary>Round 3's request: the survivors (sent to each of them).</summary>
    public IReadOnlyCollection<int> UnmaskingRequest()
    {
        Require(_masked.Count, "sent masked inputs");
        BytesOut += (long)_masked.Count * _masked.Count * sizeof(int);
        return _masked.Order().ToList();
    }

    /// <summary>Round 3: removes the remaining masks with the survivors' shares and returns the sum of the survivors' inputs mod 2⁶⁴.</summary>
    public ulong[] Finish(IEnumerable<UnmaskingResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        List<UnmaskingResponse> answered = [.. responses.Where(r => _masked.Contains(r.From)).GroupBy(r => r.From).Select(g => g.First())];
        BytesIn += answered.Sum(r => r.Bytes);
        Require(answered.Count, "answered the unmasking request");

        ulong[] result = (ulong[])_sum.Clone();
        foreach (int survivor in _masked)
        {
            byte[] seed = Rebuild(answered, r => r.SelfMaskSeedShares, survivor);
            MaskExpansion.Apply(seed, result, subtract: true);
            CryptographicOperations.ZeroMemory(seed);
        }

        foreach (int dropped in _shared.Where(id => !_masked.Contains(id)))
        {
            byte[] privateKey = Rebuild(answered, r => r.MaskKeyShares, dropped);
            using ECDiffieHellman key = PairwiseKeys.NewKey();
            key.ImportECPrivateKey(privateKey, out _);
            CryptographicOperations.ZeroMemory(privateKey);
            foreach (int survivor in _masked)
            {
                // The survivor added +mask for a larger peer id and -mask for a smaller one: undo that term.
                byte[] seed = PairwiseKeys.Derive(key, _roster[survivor].MaskPublicKey, "pair", _roundTag, dropped, survivor);
                MaskExpansion.Apply(seed, result, subtract: dropped > survivor);
                CryptographicOperations.ZeroMemory(seed);
            }
        }

        return result;
    }

    private byte[] Rebuild(List<UnmaskingResponse> answered, Func<UnmaskingResponse, IReadOnlyDictionary<int, byte[]>> pick, int owner)
    {
        List<(byte X, byte[] Share)> shares = [.. answered
            .Where(r => pick(r).ContainsKey(owner))
            .Take(Threshold)
            .Select(r => ((byte)r.From, pick(r)[owner]))];
        if (shares.Count < Threshold)
        {
            throw new SecureAggregationAbortedException($"Only {shares.Count} shares for client {owner}; the threshold is {Threshold}.");
        }

        return ShamirSecretSharing.Combine(shares);
    }

    private void Require(int count, string what)
    {
        if (count < Threshold)
        {
            throw new SecureAggregationAbortedException(
                $"Only {count} clients {what}; secure aggregation needs at least {Threshold}. The round is aborted and nothing is unmasked.");
        }
    }
}
