using System.Text.Json;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Learning.Tests.Summaries;

public class DomainSummarizerTests
{
    [Fact]
    public void Summarize_ReportsCountsMomentsAndEmbedding()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 300, Seed = 1, LabelShift = 0.5 });

        DomainSummary summary = DomainSummarizer.Summarize(data, new SummaryOptions { EmbeddingDimension = 64 });

        Assert.Equal(300, summary.Rows);
        Assert.Equal(data.ClassCounts(), summary.ClassCounts);
        Assert.Equal(data.ClassNames, summary.ClassNames);
        Assert.Equal(64, summary.MeanEmbedding.Length);
        Assert.Equal(Math.Sqrt(8), summary.EmbeddingBandwidth, 1e-12);
        Assert.Equal(20261122, summary.EmbeddingSeed);
        double mean0 = Enumerable.Range(0, data.Rows).Average(r => (double)data.Features[r * 8]);
        Assert.Equal(mean0, summary.Means[0], 1e-9);
        Assert.True(summary.StandardDeviations.All(s => s > 0));

        // Each RFF coordinate is bounded by √(2/D), so the mean is too.
        Assert.All(summary.MeanEmbedding, v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(2.0 / 64)));
    }

    [Fact]
    public void DomainSummary_RoundTripsThroughSystemTextJson_WithDefaultOptions()
    {
        DomainSummary summary = DomainSummarizer.Summarize(
            SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 50, Seed = 1 }),
            new SummaryOptions { EmbeddingDimension = 16, Bandwidth = 2.5 });

        string json = JsonSerializer.Serialize(summary);
        DomainSummary back = JsonSerializer.Deserialize<DomainSummary>(json)!;

        Assert.Equal(summary.Rows, back.Rows);
        Assert.Equal(summary.FeatureNames, back.FeatureNames);
        Assert.Equal(summary.Means, back.Means);
        Assert.Equal(summary.StandardDeviations, back.StandardDeviations);
        Assert.Equal(summary.ClassNames, back.ClassNames);
        Assert.Equal(summary.ClassCounts, back.ClassCounts);
        Assert.Equal(summary.EmbeddingSeed, back.EmbeddingSeed);
        Assert.Equal(2.5, back.EmbeddingBandwidth);
        Assert.Equal(summary.MeanEmbedding, back.MeanEmbedding);
        Assert.Equal(json, JsonSerializer.Serialize(back));
    }

    [Fact]
    public void RandomFourierFeatures_InnerProductApproximatesTheGaussianKernel()
    {
        const double bandwidth = 1.5;
        var features = new RandomFourierFeatures(3, 4096, bandwidth, seed: 9);
        float[] x = [0.2f, -0.4f, 1f];
        float[] y = [1f, 0.1f, 0.3f];
        var zx = new double[4096];
        var zy = new double[4096];

        features.Transform(x, zx);
        features.Transform(y, zy);

        double squaredDistance = x.Zip(y, (a, b) => (double)(a - b) * (a - b)).Sum();
        double kernel = Math.Exp(-squaredDistance / (2 * bandwidth * bandwidth));
        double estimate = zx.Zip(zy, (a, b) => a * b).Sum();
        Assert.Equal(kernel, estimate, 0.05); // Monte Carlo error ~ 1/√D ≈ 0.016
        Assert.Equal(1.0, zx.Sum(v => v * v), 0.05);
    }

    [Fact]
    public void Summarize_EmbeddingEqualsTheMeanOfRandomFourierFeatures_WithoutHoldingTheirMatrix()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 120, Seed = 4 });
        var options = new SummaryOptions { EmbeddingDimension = 40 };
        var features = new RandomFourierFeatures(data.FeatureCount, 40, Math.Sqrt(data.FeatureCount), options.EmbeddingSeed);
        var expected = new double[40];
        var z = new double[40];
        for (int r = 0; r < data.Rows; r++)
        {
            features.Transform(data.Row(r), z);
            for (int k = 0; k < 40; k++)
            {
                expected[k] += z[k] / data.Rows;
            }
        }

        DomainSummary summary = DomainSummarizer.Summarize(data, options);

        Assert.Equal(40, summary.MeanEmbedding.Length);
        for (int k = 0; k < 40; k++)
        {
            Assert.Equal(expected[k], summary.MeanEmbedding[k], 1e-10);
        }
    }

    [Fact]
    public void Summarize_AllocatesFarLessThanTheFrequencyMatrix_WhenThereAreManyColumns()
    {
        const int columns = 2000;
        const int rows = 20;
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % 7) - 3;
        }

        var data = new TabularDataset(
            Enumerable.Range(0, columns).Select(c => $"f{c}").ToArray(), ["a", "b"], values, Enumerable.Range(0, rows).Select(r => r % 2).ToArray());
        DomainSummarizer.Summarize(data, new SummaryOptions()); // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        DomainSummary summary = DomainSummarizer.Summarize(data, new SummaryOptions());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The 256 × 2000 frequency matrix alone is 4 MB; moments, names and one block of frequencies are well under 1 MB.
        Assert.Equal(256, summary.MeanEmbedding.Length);
        Assert.InRange(allocated, 0, 1024 * 1024);
    }
}
