using System.Security.Cryptography;

namespace FTLPortal.Federation.Privacy;

/// <summary>Standard normal draws (Box–Muller) from the operating system's cryptographic source, or from a seeded generator when asked (tests).</summary>
internal sealed class GaussianNoise
{
    private readonly Random? _seeded;

    public GaussianNoise(int? seed)
    {
#pragma warning disable CA5394 // Seeded only when the caller asks for reproducible noise (tests); otherwise the OS CSPRNG below.
        _seeded = seed is { } s ? new Random(s) : null;
#pragma warning restore CA5394
    }

    public double Next()
    {
        double u1 = 1.0 - Uniform();
        double u2 = Uniform();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // A uniform double in [0, 1).
    private double Uniform()
    {
        if (_seeded is not null)
        {
#pragma warning disable CA5394 // Seeded on request, see the constructor.
            return _seeded.NextDouble();
#pragma warning restore CA5394
        }

        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (BitConverter.ToUInt64(bytes) >> 11) * (1.0 / (1UL << 53));
    }
}
