using System.Security.Cryptography;

namespace FTLPortal.Infrastructure.Administration;

/// <summary>Passwords the console issues: random, long, and free of look-alike characters (0/O, 1/l/I) for reading aloud.</summary>
public static class GeneratedPassword
{
    public const int Length = 20;

    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private static readonly char[] Alphabet = (Upper + Lower + Digits).ToCharArray();

    /// <summary>A new password with an upper-case letter, a lower-case letter and a digit (Identity's default rules).</summary>
    public static string Create()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
            if (candidate.Any(Upper.Contains) && candidate.Any(Lower.Contains) && candidate.Any(Digits.Contains))
            {
                return new string(candidate);
            }
        }
    }
}
