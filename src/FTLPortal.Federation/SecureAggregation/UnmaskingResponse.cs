using System.Text.Json.Serialization;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// Round 3: a surviving client's shares, keyed by owner: of the self-mask seed of each client whose masked input arrived,
/// and of the mask private key of each client that dropped before it did. Never both for the same owner.
/// </summary>
public sealed record UnmaskingResponse(int From, IReadOnlyDictionary<int, byte[]> SelfMaskSeedShares, IReadOnlyDictionary<int, byte[]> MaskKeyShares)
{
    [JsonIgnore]
    public long Bytes => sizeof(int) + SelfMaskSeedShares.Sum(s => sizeof(int) + (long)s.Value.Length) + MaskKeyShares.Sum(s => sizeof(int) + (long)s.Value.Length);
}
