using System.Security.Cryptography;
using System.Text;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>ECDH P-256 agreement and HKDF-SHA256 derivation of the pairwise mask seeds and share-encryption keys.</summary>
internal static class PairwiseKeys
{
    public static ECDiffieHellman NewKey() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public static byte[] Derive(ECDiffieHellman own, byte[] peerPublicKey, string purpose, string roundTag, int a, int b)
    {
        using ECDiffieHellman peer = ECDiffieHellman.Create();
        peer.ImportSubjectPublicKeyInfo(peerPublicKey, out _);
        byte[] secret = own.DeriveRawSecretAgreement(peer.PublicKey);
        try
        {
            byte[] info = Encoding.UTF8.GetBytes($"ftl-secagg|{purpose}|{roundTag}|{Math.Min(a, b)}|{Math.Max(a, b)}");
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: null, info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
