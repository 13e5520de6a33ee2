using FTLPortal.Learning.Summaries;

namespace FTLPortal.Learning.Similarity;

/// <summary>Maximum mean discrepancy under a Gaussian kernel, estimated from random-Fourier-feature mean embeddings.</summary>
public static class KernelMmd
{
    /// <summary>‖a − b‖₂: the RFF estimate of MMD between the two distributions the embeddings were computed from.</summary>
    public static double FromEmbeddings(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Embeddings differ in length ({a.Length} and {b.Length}).", nameof(b));
        }

        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    public static double FromSummaries(DomainSummary a, DomainSummary b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.EmbeddingSeed != b.EmbeddingSeed)
        {
            throw new ArgumentException(
                $"The summaries use different embedding seeds ({a.EmbeddingSeed} and {b.EmbeddingSeed}); recompute them with the same seed.");
        }

        if (a.EmbeddingBandwidth != b.EmbeddingBandwidth)
        {
            throw new ArgumentException(
                $"The summaries use different kernel bandwidths ({a.EmbeddingBandwidth} and {b.EmbeddingBandwidth}); recompute them with the same bandwidth.");
        }

        if (!a.FeatureNames.SequenceEqual(b.FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The summaries have different features ({string.Join(", ", a.FeatureNames)} vs {string.Join(", ", b.FeatureNames)}).");
        }

        if (a.MeanEmbedding.Length != b.MeanEmbedding.Length)
        {
            throw new ArgumentException(
                $"The summaries have embeddings of different dimension ({a.MeanEmbedding.Length} and {b.MeanEmbedding.Length}).");
        }

        return FromEmbeddings(a.MeanEmbedding, b.MeanEmbedding);
    }
}
