using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class SyntheticDomainsTests
{
    private static double[] FeatureMeans(TabularDataset data) =>
        Enumerable.Range(0, data.FeatureCount)
            .Select(f => Enumerable.Range(0, data.Rows).Average(r => (double)data.Features[(r * data.FeatureCount) + f]))
            .ToArray();

    [Fact]
    public void Generate_IsDeterministic_AndNamesFeaturesAndClasses()
    {
        var options = new SyntheticDomainOptions { Rows = 90, Features = 5, Classes = 4, Seed = 12 };

        TabularDataset a = SyntheticDomains.Generate(options);
        TabularDataset b = SyntheticDomains.Generate(options);

        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(["f0", "f1", "f2", "f3", "f4"], a.FeatureNames);
        Assert.Equal(["class_0", "class_1", "class_2", "class_3"], a.ClassNames);
        Assert.NotEqual(a.Features, SyntheticDomains.Generate(options with { Seed = 13 }).Features);
    }

    [Fact]
    public void Generate_WithCovariateShift_MovesTheMeanByTheShiftDistance()
    {
        TabularDataset baseline = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 1 });
        TabularDataset shifted = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 1, CovariateShift = 3 });

        double[] a = FeatureMeans(baseline);
        double[] b = FeatureMeans(shifted);
        double distance = Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

        Assert.Equal(3, distance, 1e-4); // same seed and labels: only the shift differs
    }

    [Fact]
    public void Generate_WithLabelShift_SkewsPriorsTowardClassZero()
    {
        int[] balanced = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 600, Seed = 1 }).ClassCounts();
        int[] skewed = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 600, Seed = 1, LabelShift = 0.6 }).ClassCounts();

        Assert.Equal([200, 200, 200], balanced);
        Assert.True(skewed[0] > skewed[1] && skewed[1] > skewed[2], string.Join(",", skewed));
        Assert.Equal(600, skewed.Sum());
    }

    [Fact]
    public void Generate_WithConceptShift_ChangesOnlyTheFirstTwoFeatures()
    {
        TabularDataset baseline = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 1 });
        TabularDataset rotated = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 1, ConceptShift = Math.PI / 2 });

        double[] a = FeatureMeans(baseline);
        double[] b = FeatureMeans(rotated);

        Assert.True(Math.Abs(a[0] - b[0]) + Math.Abs(a[1] - b[1]) > 0.1);
        for (int f = 2; f < a.Length; f++)
        {
            Assert.Equal(a[f], b[f], 1e-6);
        }
    }
}
