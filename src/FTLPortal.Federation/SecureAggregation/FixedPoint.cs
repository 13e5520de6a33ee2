namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// Fixed-point encoding into Z/2⁶⁴ for masking: <c>round(v·2^FractionBits)</c> as a two's-complement 64-bit integer, so
/// sums wrap exactly and decode back while the true sum stays within ±2⁶³ / 2^FractionBits (about ±8.8·10¹²).
/// </summary>
public static class FixedPoint
{
    /// <summary>Fraction bits: a resolution of 2⁻²⁰ ≈ 9.5·10⁻⁷.</summary>
    public const int FractionBits = 20;

    private const double Scale = 1 << FractionBits;

    public static ulong Encode(double value)
    {
        double scaled = Math.Round(value * Scale);
        if (!(Math.Abs(scaled) < 9.2e18))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit the fixed-point range.");
        }

        return unchecked((ulong)(long)scaled);
    }

    public static double Decode(ulong value) => unchecked((long)value) / Scale;
}
