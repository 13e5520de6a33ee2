namespace FTLPortal.Learning.Similarity;

/// <summary>Distances between class histograms, aligned by class name (a class missing on one side counts as 0 there).</summary>
public static class LabelDistributionDistance
{
    /// <summary>Jensen–Shannon divergence with log base 2, so 0 for equal distributions and at most 1.</summary>
    public static double JensenShannon(IReadOnlyList<string> namesA, int[] countsA, IReadOnlyList<string> namesB, int[] countsB)
    {
        (double[] p, double[] q) = Align(namesA, countsA, namesB, countsB);
        double divergence = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double m = (p[i] + q[i]) / 2;
            divergence += (Term(p[i], m) + Term(q[i], m)) / 2;
        }

        return Math.Clamp(divergence, 0, 1);
    }

    /// <summary>Half the L1 distance between the class distributions, in [0, 1].</summary>
    public static double TotalVariation(IReadOnlyList<string> namesA, int[] countsA, IReadOnlyList<string> namesB, int[] countsB)
    {
        (double[] p, double[] q) = Align(namesA, countsA, namesB, countsB);
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            sum += Math.Abs(p[i] - q[i]);
        }

        return sum / 2;
    }

    private static double Term(double p, double m) => p > 0 ? p * Math.Log2(p / m) : 0;

    private static (double[] P, double[] Q) Align(IReadOnlyList<string> namesA, int[] countsA, IReadOnlyList<string> namesB, int[] countsB)
    {
        Dictionary<string, int> a = ToHistogram(namesA, countsA, nameof(countsA));
        Dictionary<string, int> b = ToHistogram(namesB, countsB, nameof(countsB));
        string[] classes = a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        double totalA = a.Values.Sum(c => (double)c);
        double totalB = b.Values.Sum(c => (double)c);
        var p = new double[classes.Length];
        var q = new double[classes.Length];
        for (int i = 0; i < classes.Length; i++)
        {
            p[i] = a.GetValueOrDefault(classes[i]) / totalA;
            q[i] = b.GetValueOrDefault(classes[i]) / totalB;
        }

        return (p, q);
    }

    private static Dictionary<string, int> ToHistogram(IReadOnlyList<string> names, int[] counts, string parameter)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(counts);
        if (names.Count != counts.Length)
        {
            throw new ArgumentException($"{names.Count} class names but {counts.Length} counts.", parameter);
        }

        var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException($"Class '{names[i]}' has a negative count.", parameter);
            }

            histogram[names[i]] = histogram.GetValueOrDefault(names[i]) + counts[i];
        }

        if (histogram.Values.Sum() == 0)
        {
            throw new ArgumentException("A class histogram is all zeros.", parameter);
        }

        return histogram;
    }
}
