using System.Security.Cryptography;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// Shamir's t-of-n secret sharing byte by byte over GF(2⁸) (the AES field, x⁸ + x⁴ + x³ + x + 1): any
/// <c>threshold</c> shares rebuild the secret; fewer reveal nothing about it. Share x-coordinates are 1…255.
/// </summary>
public static class ShamirSecretSharing
{
    private static readonly byte[] Exp = new byte[512];
    private static readonly byte[] Log = new byte[256];

    static ShamirSecretSharing()
    {
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = (byte)i;
            x ^= x << 1; // multiply by the generator 3
            if ((x & 0x100) != 0)
            {
                x ^= 0x11B;
            }
        }

        for (int i = 255; i < 512; i++)
        {
            Exp[i] = Exp[i - 255];
        }
    }

    /// <summary>Splits <paramref name="secret"/> into shares for x = 1…<paramref name="count"/>; each share is as long as the secret.</summary>
    public static byte[][] Split(ReadOnlySpan<byte> secret, int threshold, int count)
    {
        if (threshold < 1 || threshold > count || count > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"Need 1 ≤ threshold ≤ count ≤ 255 (threshold {threshold}, count {count}).");
        }

        var shares = new byte[count][];
        for (int s = 0; s < count; s++)
        {
            shares[s] = new byte[secret.Length];
        }

        Span<byte> coefficients = stackalloc byte[threshold];
        for (int b = 0; b < secret.Length; b++)
        {
            coefficients[0] = secret[b];
            RandomNumberGenerator.Fill(coefficients[1..]);
            for (int s = 0; s < count; s++)
            {
                byte x = (byte)(s + 1);
                byte y = 0;
                for (int k = threshold - 1; k >= 0; k--) // Horner
                {
                    y = (byte)(Multiply(y, x) ^ coefficients[k]);
                }

                shares[s][b] = y;
            }
        }

        return shares;
    }

    /// <summary>Rebuilds the secret from shares given as (x, bytes); needs at least the threshold used to split, and distinct x.</summary>
    public static byte[] Combine(IReadOnlyList<(byte X, byte[] Share)> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("No shares to combine.", nameof(shares));
        }

        int length = shares[0].Share.Length;
        if (shares.Any(s => s.Share.Length != length || s.X == 0) || shares.Select(s => s.X).Distinct().Count() != shares.Count)
        {
            throw new ArgumentException("Shares must have equal lengths and distinct non-zero x.", nameof(shares));
        }

        // Lagrange basis at 0: ℓᵢ(0) = Π_{j≠i} xⱼ / (xⱼ - xᵢ); in GF(2⁸) subtraction is xor.
        var basis = new byte[shares.Count];
        for (int i = 0; i < shares.Count; i++)
        {
            byte numerator = 1, denominator = 1;
            for (int j = 0; j < shares.Count; j++)
            {
                if (j != i)
                {
                    numerator = Multiply(numerator, shares[j].X);
                    denominator = Multiply(denominator, (byte)(shares[j].X ^ shares[i].X));
                }
            }

            basis[i] = Divide(numerator, denominator);
        }

        var secret = new byte[length];
        for (int b = 0; b < length; b++)
        {
            byte value = 0;
            for (int i = 0; i < shares.Count; i++)
            {
                value ^= Multiply(basis[i], shares[i].Share[b]);
            }

            secret[b] = value;
        }

        return secret;
    }

    private static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    private static byte Divide(byte a, byte b) => a == 0 ? (byte)0 : Exp[Log[a] + 255 - Log[b]];
}
