using FTLPortal.Learning.Data;
using FTLPortal.Learning.Similarity;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Learning.Tests.Similarity;

public class KernelMmdTests
{
    private static readonly SummaryOptions Options = new();

    private static DomainSummary Summary(int seed, double covariateShift = 0) =>
        DomainSummarizer.Summarize(
            SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = seed, CovariateShift = covariateShift }),
            Options);

    [Fact]
    public void FromSummaries_IsSmall_ForTheSameDomainSampledWithAnotherSeed()
    {
        double same = KernelMmd.FromSummaries(Summary(1), Summary(2));
        double shifted = KernelMmd.FromSummaries(Summary(1), Summary(2, covariateShift: 2));

        Assert.True(same < 0.1, $"MMD between two samples of one domain was {same:F4}");
        Assert.True(same * 3 < shifted, $"same-domain MMD {same:F4} should be far below shifted-domain MMD {shifted:F4}");
    }

    [Fact]
    public void FromSummaries_GrowsMonotonically_WithCovariateShift()
    {
        DomainSummary reference = Summary(1);
        double[] shifts = [0.0, 1, 2, 4];
        double[] distances = [.. shifts.Select(shift => KernelMmd.FromSummaries(reference, Summary(2, shift)))];

        for (int i = 1; i < distances.Length; i++)
        {
            Assert.True(distances[i] > distances[i - 1], $"MMD by shift 0,1,2,4: {string.Join(", ", distances.Select(d => d.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    [Fact]
    public void FromEmbeddings_IsTheEuclideanDistance_AndRejectsLengthMismatch()
    {
        Assert.Equal(5.0, KernelMmd.FromEmbeddings([0.0, 3.0], [4.0, 0.0]), 1e-12);
        Assert.Equal(0.0, KernelMmd.FromEmbeddings([1.0, 2.0], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => KernelMmd.FromEmbeddings([1.0], [1.0, 2.0]));
    }

    [Fact]
    public void FromSummaries_Throws_WhenSummariesAreNotComparable()
    {
        DomainSummary a = Summary(1);

        string seed = Assert.Throws<ArgumentException>(() => KernelMmd.FromSummaries(a, a with { EmbeddingSeed = 1 })).Message;
        string bandwidth = Assert.Throws<ArgumentException>(() => KernelMmd.FromSummaries(a, a with { EmbeddingBandwidth = 9 })).Message;
        string names = Assert.Throws<ArgumentException>(() => KernelMmd.FromSummaries(a, a with { FeatureNames = ["x"] })).Message;

        Assert.Contains("embedding seeds", seed, StringComparison.Ordinal);
        Assert.Contains("bandwidths", bandwidth, StringComparison.Ordinal);
        Assert.Contains("different features", names, StringComparison.Ordinal);
    }
}
