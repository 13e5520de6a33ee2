using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void Fit_UsesPopulationStatistics_AndMapsConstantFeaturesToZero()
    {
        var data = new TabularDataset(["x", "c"], ["a", "b"], [1, 5, 3, 5, 5, 5, 7, 5], [0, 1, 0, 1]);

        Standardizer standardizer = Standardizer.Fit(data);
        TabularDataset scaled = standardizer.Transform(data);

        Assert.Equal([4f, 5f], standardizer.Means);
        Assert.Equal(MathF.Sqrt(5f), standardizer.StandardDeviations[0], 1e-6f); // population: Σ(9+1+1+9)/4
        Assert.Equal(1f, standardizer.StandardDeviations[1]);
        Assert.Equal(-3f / MathF.Sqrt(5f), scaled.Features[0], 1e-6f);
        Assert.Equal(0f, scaled.Features[1]);
        Assert.Equal(1f, data.Features[0]); // the input is not modified
    }

    [Fact]
    public void Transform_OfTrainingRows_HasZeroMeanAndUnitVariance()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 400, Seed = 5, CovariateShift = 3 });

        TabularDataset scaled = Standardizer.Fit(data).Transform(data);

        for (int f = 0; f < scaled.FeatureCount; f++)
        {
            double[] column = Enumerable.Range(0, scaled.Rows).Select(r => (double)scaled.Features[(r * scaled.FeatureCount) + f]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, column.Average(v => (v - mean) * (v - mean)), 1e-4);
        }
    }
}
