using System.Security.Cryptography;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// A partner's side of one secure aggregation round (Bonawitz et al. 2017, semi-honest variant): advertise keys, share the
/// self-mask seed and the mask private key t-of-n, send the input masked with the self mask and the pairwise masks (which
/// cancel in the sum), and in the end help unmask only the sum. Ids are 1…255 (they are the Shamir x-coordinates).
/// </summary>
public sealed class SecureAggregationClient : IDisposable
{
    private readonly ECDiffieHellman _maskKey = PairwiseKeys.NewKey();
    private readonly ECDiffieHellman _shareKey = PairwiseKeys.NewKey();
    private readonly string _roundTag;
    private readonly Dictionary<int, KeyAdvertisement> _roster = [];
    private readonly Dictionary<int, (byte[] SeedShare, byte[] KeyShare)> _held = [];
    private byte[]? _selfSeed;
    private HashSet<int>? _sharedWith;

    public SecureAggregationClient(int clientId, int threshold, string roundTag)
    {
        if (clientId is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(clientId), "Secure aggregation client ids are 1…255.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        ArgumentException.ThrowIfNullOrWhiteSpace(roundTag);
        ClientId = clientId;
        Threshold = threshold;
        _roundTag = roundTag;
    }

    public int ClientId { get; }

    public int Threshold { get; }

    /// <summary>Round 0: the public keys.</summary>
    public KeyAdvertisement Advertise() =>
        new(ClientId, _maskKey.PublicKey.ExportSubjectPublicKeyInfo(), _shareKey.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>Round 1: given everyone's keys, the encrypted shares for each other client.</summary>
    public IReadOnlyList<EncryptedShares> ShareKeys(IReadOnlyList<KeyAdvertisement> roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        if (roster.Select(r => r.ClientId).Distinct().Count() != roster.Count || roster.All(r => r.ClientId != ClientId))
        {
            throw new SecureAggregationAbortedException("The roster repeats a client or lacks this one.");
        }

        if (roster.Count < Threshold)
        {
            throw new SecureAggregationAbortedException($"Only {roster.Count} clients advertised keys; the threshold is {Threshold}.");
        }

        foreach (KeyAdvertisement entry in roster)
        {
            _roster[entry.ClientId] = entry;
        }

        _selfSeed = RandomNumberGenerator.GetBytes(32);
        byte[] privateKey = _maskKey.ExportECPrivateKey();
        int maxId = roster.Max(r => r.ClientId);
        byte[][] seedShares = ShamirSecretSharing.Split(_selfSeed, Threshold, maxId);
        byte[][] keyShares = ShamirSecretSharing.Split(privateKey, Threshold, maxId);
        CryptographicOperations.ZeroMemory(privateKey);
        var sealedShares = new List<EncryptedShares>(roster.Count - 1);
        foreach (KeyAdvertisement peer in roster)
        {
            (byte[] seedShare, byte[] keyShare) = (seedShares[peer.ClientId - 1], keyShares[peer.ClientId - 1]);
            if (peer.ClientId == ClientId)
            {
                _held[ClientId] = (seedShare, keyShare);
                continue;
            }

            byte[] key = PairwiseKeys.Derive(_shareKey, peer.SharePublicKey, "share", _roundTag, ClientId, peer.ClientId);
            byte[] plaintext = [.. seedShare, .. keyShare];
            byte[] nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[AesGcm.TagByteSizes.MaxSize];
            using (var aes = new AesGcm(key, tag.Length))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(ClientId, peer.ClientId));
            }

            CryptographicOperations.ZeroMemory(key);
            sealedShares.Add(new EncryptedShares(ClientId, peer.ClientId, nonce, ciphertext, tag));
        }

        return sealedShares;
    }

    /// <summary>
    /// Round 2: opens the shares sent to this client (their senders form the set that completed round 1) and returns
    /// <paramref name="input"/> plus the self mask and the pairwise masks with those senders, mod 2⁶⁴.
    /// </summary>
    public ulong[] MaskInput(IReadOnlyList<EncryptedShares> received, ReadOnlySpan<ulong> input)
    {
        ArgumentNullException.ThrowIfNull(received);
        if (_selfSeed is null)
        {
            throw new InvalidOperationException("ShareKeys must run before MaskInput.");
        }

        var sharedWith = new HashSet<int> { ClientId };
        foreach (EncryptedShares message in received)
        {
            if (message.To != ClientId || !_roster.TryGetValue(message.From, out KeyAdvertisement? sender) || !sharedWith.Add(message.From))
            {
                throw new SecureAggregationAbortedException($"Unexpected share message from {message.From} to {message.To}.");
            }

            byte[] key = PairwiseKeys.Derive(_shareKey, sender.SharePublicKey, "share", _roundTag, ClientId, message.From);
            var plaintext = new byte[message.Ciphertext.Length];
            try
            {
                using var aes = new AesGcm(key, message.Tag.Length);
                aes.Decrypt(message.Nonce, message.Ciphertext, message.Tag, plaintext, AssociatedData(message.From, ClientId));
            }
            catch (AuthenticationTagMismatchException ex)
            {
                throw new SecureAggregationAbortedException($"The shares from client {message.From} fail authentication.", ex);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            _held[message.From] = (plaintext[..32], plaintext[32..]);
        }

        if (sharedWith.Count < Threshold)
        {
            throw new SecureAggregationAbortedException($"Only {sharedWith.Count} clients shared keys; the threshold is {Threshold}.");
        }

        _sharedWith = sharedWith;
        ulong[] masked = input.ToArray();
        MaskExpansion.Apply(_selfSeed, masked, subtract: false);
        foreach (int peer in sharedWith)
        {
            if (peer == ClientId)
            {
                continue;
            }

            byte[] seed = PairwiseKeys.Derive(_maskKey, _roster[peer].MaskPublicKey, "pair", _roundTag, ClientId, peer);
            MaskExpansion.Apply(seed, masked, subtract: peer < ClientId);
            CryptographicOperations.ZeroMemory(seed);
        }

        return masked;
    }

    /// <summary>
    /// Round 3: given the clients whose masked inputs arrived, this client's shares of their self-mask seeds and of the mask
    /// keys of those that shared keys but sent no input. Refuses below the threshold, and refuses a request that would let
    /// the server learn both secrets of one client (that would unmask its single update).
    /// </summary>
    public UnmaskingResponse Unmask(IReadOnlyCollection<int> survivors)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        if (_sharedWith is null)
        {
            throw new InvalidOperationException("MaskInput must run before Unmask.");
        }

        var alive = new HashSet<int>(survivors);
        if (!alive.Contains(ClientId) || !alive.IsSubsetOf(_sharedWith))
        {
            throw new SecureAggregationAbortedException("The survivor list names clients that did not share keys, or not this client.");
        }

        if (alive.Count < Threshold)
        {
            throw new SecureAggregationAbortedException($"Only {alive.Count} masked inputs arrived; the threshold is {Threshold}. Nothing is revealed.");
        }

        var seeds = alive.ToDictionary(id => id, id => _held[id].SeedShare);
        var keys = _sharedWith.Where(id => !alive.Contains(id)).ToDictionary(id => id, id => _held[id].KeyShare);
        return new UnmaskingResponse(ClientId, seeds, keys);
    }

    public void Dispose()
    {
        _maskKey.Dispose();
        _shareKey.Dispose();
        if (_selfSeed is not null)
        {
            CryptographicOperations.ZeroMemory(_selfSeed);
        }
    }

    private static byte[] AssociatedData(int from, int to) => [(byte)from, (byte)to];
}
