using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>
/// How agent keys look and are stored: <c>ftlak_</c> and 43 base64url characters (256 random bits). A key has that much
/// entropy, so a plain SHA-256 is a safe stored form (no salt or slow hash needed) and lets the portal find a key by its hash.
/// </summary>
internal static class AgentKeySecret
{
    public const string Marker = "ftlak_";

    /// <summary>Characters of the secret kept visible (the marker and 6 more).</summary>
    public const int PrefixLength = 12;

    private const int SecretLength = 49;

    public static string Generate() => Marker + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string PrefixOf(string secret) => secret[..PrefixLength];

    /// <summary>Whether <paramref name="value"/> has the shape of a key (checked before any database look-up).</summary>
    public static bool LooksLikeKey(string? value) =>
        value is { Length: SecretLength } && value.StartsWith(Marker, StringComparison.Ordinal)
        && value.AsSpan(Marker.Length).IndexOfAnyExcept(Base64UrlAlphabet) < 0;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
