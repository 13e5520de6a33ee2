namespace FTLPortal.Learning.Data;

/// <summary>
/// Gaussian-blob classification domains with controllable shifts. Class centres and the covariate-shift direction come from a
/// fixed world seed, so domains with different <see cref="SyntheticDomainOptions.Seed"/>s share one concept.
/// </summary>
public static class SyntheticDomains
{
    private const int WorldSeed = 20_261_122;

    // Centre coordinates ~ N(0, CentreSpread²): far apart relative to the default noise, so the task is learnable.
    private const double CentreSpread = 1.5;

#pragma warning disable CA5394 // Reproducible synthetic data, not security.
    public static TabularDataset Generate(SyntheticDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Features, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Classes, 2);
        if (!(options.LabelShift >= 0 && options.LabelShift < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "LabelShift must be in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Noise);
        int features = options.Features;
        int classes = options.Classes;

        // The world: depends only on the shape (features, classes), never on the domain seed.
        var world = new Random(WorldSeed + (features * 1000) + classes);
        var centres = new double[classes * features];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = Gaussian(world) * CentreSpread;
        }

        var direction = new double[features];
        for (int f = 0; f < features; f++)
        {
            direction[f] = Gaussian(world);
        }

        double norm = Math.Sqrt(direction.Sum(d => d * d));
        for (int f = 0; f < features; f++)
        {
            direction[f] /= norm;
        }

        // Concept shift: rotate the centres in the (f0, f1) plane.
        double cos = Math.Cos(options.ConceptShift);
        double sin = Math.Sin(options.ConceptShift);
        for (int c = 0; c < classes; c++)
        {
            double x = centres[c * features];
            double y = centres[(c * features) + 1];
            centres[c * features] = (cos * x) - (sin * y);
            centres[(c * features) + 1] = (sin * x) + (cos * y);
        }

        int[] labels = ClassLabels(options.Rows, classes, options.LabelShift);
        var random = new Random(options.Seed);
        random.Shuffle(labels);
        var values = new float[options.Rows * features];
        for (int r = 0; r < options.Rows; r++)
        {
            int c = labels[r];
            for (int f = 0; f < features; f++)
            {
                double value = centres[(c * features) + f] + (Gaussian(random) * options.Noise) + (direction[f] * options.CovariateShift);
                values[(r * features) + f] = (float)value;
            }
        }

        string[] featureNames = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        string[] classNames = Enumerable.Range(0, classes).Select(c => $"class_{c}").ToArray();
        return new TabularDataset(featureNames, classNames, values, labels);
    }

    /// <summary>Exact class counts for priors ∝ (1 − shift)^c (largest remainder), so histograms carry no sampling noise.</summary>
    private static int[] ClassLabels(int rows, int classes, double labelShift)
    {
        double[] priors = Enumerable.Range(0, classes).Select(c => Math.Pow(1 - labelShift, c)).ToArray();
        double total = priors.Sum();
        double[] exact = priors.Select(p => p / total * rows).ToArray();
        int[] counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        int remaining = rows - counts.Sum();
        foreach (int c in Enumerable.Range(0, classes).OrderByDescending(c => exact[c] - counts[c]).ThenBy(c => c).Take(remaining))
        {
            counts[c]++;
        }

        var labels = new int[rows];
        int row = 0;
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < counts[c]; i++)
            {
                labels[row++] = c;
            }
        }

        return labels;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
#pragma warning restore CA5394
}
