using System.Text.Json.Serialization;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// Round 1: client <see cref="From"/>'s Shamir shares of its self-mask seed and of its mask private key for client
/// <see cref="To"/>, sealed with AES-GCM under their agreed share key; the server only routes it.
/// </summary>
public sealed record EncryptedShares(int From, int To, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    [JsonIgnore]
    public long Bytes => (2 * sizeof(int)) + Nonce.LongLength + Ciphertext.LongLength + Tag.LongLength;
}
