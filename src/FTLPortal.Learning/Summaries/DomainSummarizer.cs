using System.Numerics.Tensors;
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

    // Frequencies drawn per block of this many embedding dimensions (the rows are scanned Dimension / Block times), and
    // rows per chunk whose cosines are taken in one vectorized call.
    private const int Block = 16;
    private const int RowChunk = 512;

    /// <summary>
    /// The mean over rows of <see cref="RandomFourierFeatures"/>' z(x), with the same W and b (the same random draws in the
    /// same order), but without holding W (embedding dimension × features doubles, 1 GB for 500,000 columns): a first run of
    /// the generator skips the frequencies to reach the phases, a second draws the frequencies a block of dimensions at a
    /// time. Memory is one block of frequencies and one chunk of dot products, whatever the column count.
    /// </summary>
    internal static double[] MeanEmbedding(TabularDataset raw, int dimension, double bandwidth, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), "The bandwidth must be positive and finite.");
        }

        int featureCount = raw.FeatureCount;
        var phases = new double[dimension];
#pragma warning disable CA5394 // A shared, reproducible projection, not a secret.
        var skip = new Random(seed);
        for (long i = 0; i < 2L * dimension * featureCount; i++)
        {
            skip.NextDouble(); // each frequency is two draws (Box–Muller)
        }

        for (int k = 0; k < dimension; k++)
        {
            phases[k] = skip.NextDouble() * 2.0 * Math.PI;
        }

        var sums = new double[dimension];
        var frequencies = new double[Math.Min(Block, dimension) * featureCount];
        var dots = new double[Block * RowChunk];
        var random = new Random(seed);
        for (int k0 = 0; k0 < dimension; k0 += Block)
        {
            int block = Math.Min(Block, dimension - k0);
            for (int i = 0; i < block * featureCount; i++)
            {
                frequencies[i] = RandomFourierFeatures.NextFrequency(random, bandwidth);
            }

            for (int r0 = 0; r0 < raw.Rows; r0 += RowChunk)
            {
                int chunk = Math.Min(RowChunk, raw.Rows - r0);
                for (int r = 0; r < chunk; r++)
                {
                    ReadOnlySpan<float> row = raw.Row(r0 + r);
                    for (int k = 0; k < block; k++)
                    {
                        ReadOnlySpan<double> w = frequencies.AsSpan(k * featureCount, featureCount);
                        double dot = phases[k0 + k];
                        for (int i = 0; i < featureCount; i++)
                        {
                            dot += w[i] * row[i];
                        }

                        dots[(k * RowChunk) + r] = dot;
                    }
                }

                for (int k = 0; k < block; k++)
                {
                    Span<double> part = dots.AsSpan(k * RowChunk, chunk);
                    TensorPrimitives.Cos(part, part);
                    sums[k0 + k] += TensorPrimitives.Sum<double>(part);
                }
            }
        }
#pragma warning restore CA5394

        double scale = Math.Sqrt(2.0 / dimension) / raw.Rows;
        var embedding = new double[dimension];
        for (int k = 0; k < dimension; k++)
        {
            embedding[k] = scale * sums[k];
        }

        return embedding;
    }
}
