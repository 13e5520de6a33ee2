using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Summaries;

public static class DomainSummarizer
{
    /// <summary>Moments, class histogram and RFF mean embedding of the raw (unstandardized) rows.</summary>
    public static DomainSummary Summarize(TabularDataset raw, SummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(options);
        if (raw.Rows == 0)
        {
            throw new ArgumentException("Cannot summarize a dataset with no rows.", nameof(raw));
        }

        int featureCount = raw.FeatureCount;
        double bandwidth = options.Bandwidth > 0 ? options.Bandwidth : Math.Sqrt(featureCount);
        var means = new double[featureCount];
        for (int r = 0; r < raw.Rows; r++)
        {
            ReadOnlySpan<float> row = raw.Row(r);
            for (int f = 0; f < featureCount; f++)
            {
                means[f] += row[f];
            }
        }

        for (int f = 0; f < featureCount; f++)
        {
            means[f] /= raw.Rows;
        }

        double[] embedding = MeanEmbedding(raw, options.EmbeddingDimension, bandwidth, options.EmbeddingSeed);
        double[] deviations = raw.FeatureStandardDeviations(means);

        return new DomainSummary
        {
            Rows = raw.Rows,
            FeatureNames = raw.FeatureNames.ToArray(),
            Means = means,
            StandardDeviations = deviations,
            ClassNames = raw.ClassNames.ToArray(),
            ClassCounts = raw.ClassCounts(),
            EmbeddingSeed = options.EmbeddingSeed,
            EmbeddingBandwidth = bandwidth,
            MeanEmbedding = embedding,
        };
    }

    // Frequencies generated per block of this many embedding dimensions: the rows are scanned Dimension / Block times.
    private const int Block = 16;

    /// <summary>
    /// The mean over rows of <see cref="RandomFourierFeatures"/>' z(x), with the same W and b (the same random draws in the
    /// same order), but without holding W (embedding dimension × features doubles, 1 GB for 500,000 columns): the frequencies
    /// are drawn a block of dimensions at a time and the phases applied at the end, through
    /// cos(w·x + b) = cos(w·x) cos b − sin(w·x) sin b. Memory is a block of frequencies, not the whole matrix.
    /// </summary>
    internal static double[] MeanEmbedding(TabularDataset raw, int dimension, double bandwidth, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), "The bandwidth must be positive and finite.");
        }

        int featureCount = raw.FeatureCount;
        var cosines = new double[dimension];
        var sines = new double[dimension];
        var frequencies = new double[Math.Min(Block, dimension) * featureCount];
        var dots = new double[Block];
#pragma warning disable CA5394 // A shared, reproducible projection, not a secret.
        var random = new Random(seed);
        for (int k0 = 0; k0 < dimension; k0 += Block)
        {
            int block = Math.Min(Block, dimension - k0);
            for (int i = 0; i < block * featureCount; i++)
            {
                frequencies[i] = RandomFourierFeatures.NextFrequency(random, bandwidth);
            }

            for (int r = 0; r < raw.Rows; r++)
            {
                ReadOnlySpan<float> row = raw.Row(r);
                for (int k = 0; k < block; k++)
                {
                    ReadOnlySpan<double> w = frequencies.AsSpan(k * featureCount, featureCount);
                    double dot = 0;
                    for (int i = 0; i < featureCount; i++)
                    {
                        dot += w[i] * row[i];
                    }

                    dots[k] = dot;
                }

                for (int k = 0; k < block; k++)
                {
                    cosines[k0 + k] += Math.Cos(dots[k]);
                    sines[k0 + k] += Math.Sin(dots[k]);
                }
            }
        }

        double scale = Math.Sqrt(2.0 / dimension) / raw.Rows;
        var embedding = new double[dimension];
        for (int k = 0; k < dimension; k++)
        {
            double phase = random.NextDouble() * 2.0 * Math.PI;
            embedding[k] = scale * ((Math.Cos(phase) * cosines[k]) - (Math.Sin(phase) * sines[k]));
        }
#pragma warning restore CA5394

        return embedding;
    }
}
