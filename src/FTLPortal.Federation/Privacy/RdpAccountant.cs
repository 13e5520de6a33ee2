namespace FTLPortal.Federation.Privacy;

/// <summary>
/// Rényi-DP accounting of the sampled Gaussian mechanism (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of
/// the Sampled Gaussian Mechanism", Section 3.3): log A_α in closed form for integer orders and by the two-sided series
/// for fractional ones, composed over steps, and converted to (ε, δ) with Balle et al. 2020, Theorem 21 (the conversion
/// Opacus' <c>get_privacy_spent</c> uses). Here one step is one round and q the fraction of partners sampled in it.
/// </summary>
public static class RdpAccountant
{
    /// <summary>The orders Opacus' RDPAccountant uses by default: 1.1 … 10.9 in steps of 0.1, then 12 … 63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        Enumerable.Range(1, 99).Select(x => 1 + (x / 10.0)).Concat(Enumerable.Range(12, 52).Select(x => (double)x)).ToArray();

    /// <summary>The RDP ε(α) of <paramref name="steps"/> compositions of the sampled Gaussian mechanism at order <paramref name="order"/>.</summary>
    public static double ComputeRdp(double q, double noiseMultiplier, int steps, double order)
    {
        if (!(q is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), "The sampling rate must be in [0, 1].");
        }

        if (!(noiseMultiplier >= 0) || !(order > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(order), "The noise multiplier must be non-negative and the order above 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (q == 0 || steps == 0)
        {
            return 0;
        }

        if (noiseMultiplier == 0 || double.IsPositiveInfinity(order))
        {
            return double.PositiveInfinity;
        }

        double single = q == 1
            ? order / (2 * noiseMultiplier * noiseMultiplier)
            : LogA(q, noiseMultiplier, order) / (order - 1);
        return single * steps;
    }

    /// <summary>The smallest ε over <paramref name="orders"/> for which the composition is (ε, δ)-DP, with the order reaching it.</summary>
    public static (double Epsilon, double Order) GetEpsilon(double q, double noiseMultiplier, int steps, double delta, IReadOnlyList<double>? orders = null)
    {
        if (!(delta is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "δ must be in (0, 1).");
        }

        orders ??= DefaultOrders;
        double best = double.PositiveInfinity;
        double bestOrder = double.NaN;
        foreach (double a in orders)
        {
            double rdp = ComputeRdp(q, noiseMultiplier, steps, a);
            double eps = rdp - ((Math.Log(delta) + Math.Log(a)) / (a - 1)) + Math.Log((a - 1) / a);
            if (eps < best)
            {
                best = eps;
                bestOrder = a;
            }
        }

        return (Math.Max(0, best), bestOrder);
    }

    private static double LogA(double q, double sigma, double alpha) =>
        alpha == Math.Floor(alpha) ? LogAInteger(q, sigma, (int)alpha) : LogAFractional(q, sigma, alpha);

    private static double LogAInteger(double q, double sigma, int alpha)
    {
        double logA = double.NegativeInfinity;
        double logBinomial = 0; // log C(α, 0)
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0)
            {
                logBinomial += Math.Log(alpha - i + 1) - Math.Log(i);
            }

            double s = logBinomial + (i * Math.Log(q)) + ((alpha - i) * Math.Log(1 - q)) + (((double)i * i - i) / (2 * sigma * sigma));
            logA = LogAdd(logA, s);
        }

        return logA;
    }

    private static double LogAFractional(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        double z0 = (sigma * sigma * Math.Log((1 / q) - 1)) + 0.5;
        double coefficient = 1; // the generalized binomial C(α, i)
        for (int i = 0; ; i++)
        {
            if (i > 0)
            {
                coefficient *= (alpha - i + 1) / i;
            }

            double logCoefficient = Math.Log(Math.Abs(coefficient));
            double j = alpha - i;
            double logT0 = logCoefficient + (i * Math.Log(q)) + (j * Math.Log(1 - q));
            double logT1 = logCoefficient + (j * Math.Log(q)) + (i * Math.Log(1 - q));
            double logE0 = Math.Log(0.5) + LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            double logE1 = Math.Log(0.5) + LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            double logS0 = logT0 + (((double)i * i - i) / (2 * sigma * sigma)) + logE0;
            double logS1 = logT1 + (((j * j) - j) / (2 * sigma * sigma)) + logE1;
            if (coefficient > 0)
            {
                logA0 = LogAdd(logA0, logS0);
                logA1 = LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogSubtract(logA0, logS0);
                logA1 = LogSubtract(logA1, logS1);
            }

            if (Math.Max(logS0, logS1) < -30 || i > 100_000)
            {
                break;
            }
        }

        return LogAdd(logA0, logA1);
    }

    private static double LogAdd(double x, double y)
    {
        double a = Math.Min(x, y), b = Math.Max(x, y);
        return double.IsNegativeInfinity(a) ? b : Math.Log(Math.Exp(a - b) + 1) + b;
    }

    private static double LogSubtract(double x, double y)
    {
        if (double.IsNegativeInfinity(y))
        {
            return x;
        }

        if (x <= y)
        {
            return double.NegativeInfinity; // the series' truncation can make a tiny difference negative; treat as 0
        }

        return Math.Log(Math.Exp(x - y) - 1) + y;
    }

    /// <summary>
    /// log erfc(x): Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7 for all x), taken in log space so a
    /// large x does not underflow; for x below 0, erfc(x) = 2 - erfc(-x).
    /// </summary>
    internal static double LogErfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double exponent = -(z * z) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double logErfcAbs = Math.Log(t) + exponent;
        return x >= 0 ? logErfcAbs : Math.Log(2 - Math.Exp(logErfcAbs));
    }
}
