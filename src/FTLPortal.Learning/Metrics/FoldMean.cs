namespace FTLPortal.Learning.Metrics;

/// <summary>
/// The mean of a metric over the k folds of a cross-validation with its 95 % Student-t interval
/// (mean ± t(0.975, k − 1) · s / √k, clipped to [0, 1]): the fold-to-fold spread, beside the pooled out-of-fold bootstrap.
/// </summary>
public static class FoldMean
{
    /// <summary>t(0.975, df) for df = 1..10; larger df use the Cornish-Fisher expansion (within 0.002 of the table).</summary>
    private static readonly double[] TwoSided95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

    public static MetricEstimate Of(IReadOnlyList<double> foldValues)
    {
        ArgumentNullException.ThrowIfNull(foldValues);
        if (foldValues.Count == 0)
        {
            throw new ArgumentException("A fold mean needs at least one fold.", nameof(foldValues));
        }

        double mean = foldValues.Average();
        int k = foldValues.Count;
        if (k < 2)
        {
            return new MetricEstimate(mean, null, null);
        }

        double variance = foldValues.Sum(v => (v - mean) * (v - mean)) / (k - 1);
        double half = Quantile(k - 1) * Math.Sqrt(variance / k);
        return new MetricEstimate(mean, Math.Max(0, mean - half), Math.Min(1, mean + half));
    }

    /// <summary>The two-sided 95 % quantile of Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Quantile(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= TwoSided95.Length)
        {
            return TwoSided95[degreesOfFreedom - 1];
        }

        const double z = 1.959964;
        double n = degreesOfFreedom;
        return z + ((z * z * z) + z) / (4 * n) + ((5 * Math.Pow(z, 5)) + (16 * z * z * z) + (3 * z)) / (96 * n * n);
    }
}
