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
        var features = new RandomFourierFeatures(featureCount, options.EmbeddingDimension, bandwidth, options.EmbeddingSeed);
        var means = new double[featureCount];
        var embedding = new double[options.EmbeddingDimension];
        var z = new double[options.EmbeddingDimension];
        for (int r = 0; r < raw.Rows; r++)
        {
            ReadOnlySpan<float> row = raw.Row(r);
            for (int f = 0; f < featureCount; f++)
            {
                means[f] += row[f];
            }

            features.Transform(row, z);
            for (int k = 0; k < z.Length; k++)
            {
                embedding[k] += z[k];
            }
        }

        for (int f = 0; f < featureCount; f++)
        {
            means[f] /= raw.Rows;
        }

        for (int k = 0; k < embedding.Length; k++)
        {
            embedding[k] /= raw.Rows;
        }

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
}
