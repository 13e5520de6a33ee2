using System.Text.Json.Serialization;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>Round 0 of Bonawitz et al. 2017: a client's two P-256 public keys (SubjectPublicKeyInfo), for masks and for share encryption.</summary>
public sealed record KeyAdvertisement(int ClientId, byte[] MaskPublicKey, byte[] SharePublicKey)
{
    [JsonIgnore]
    public long Bytes => sizeof(int) + MaskPublicKey.LongLength + SharePublicKey.LongLength;
}
