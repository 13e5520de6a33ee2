using FTLPortal.Learning.Data;
using FTLPortal.Learning.Similarity;

namespace FTLPortal.Learning.Tests.Similarity;

public class LabelDistributionDistanceTests
{
    [Fact]
    public void JensenShannon_IsZero_ForEqualHistogramsInAnyOrderOrScale()
    {
        double distance = LabelDistributionDistance.JensenShannon(["a", "b", "c"], [10, 20, 30], ["c", "a", "b"], [3, 1, 2]);

        Assert.Equal(0.0, distance, 1e-12);
    }

    [Fact]
    public void JensenShannon_IsOne_ForDisjointClasses_AndMatchesAHandComputedValue()
    {
        Assert.Equal(1.0, LabelDistributionDistance.JensenShannon(["a"], [5], ["b"], [7]), 1e-12);

        // P = (1/2, 1/2), Q = (1, 0): M = (3/4, 1/4).
        double expected = (0.5 * ((0.5 * Math.Log2(0.5 / 0.75)) + (0.5 * Math.Log2(0.5 / 0.25)))) + (0.5 * Math.Log2(1 / 0.75));
        Assert.Equal(expected, LabelDistributionDistance.JensenShannon(["a", "b"], [1, 1], ["a", "b"], [4, 0]), 1e-12);
    }

    [Fact]
    public void JensenShannon_GrowsWithLabelShift()
    {
        TabularDataset reference = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 1 });
        double[] shifts = [0.0, 0.2, 0.5, 0.8];
        double[] distances = [.. shifts.Select(shift =>
        {
            TabularDataset other = SyntheticDomains.Generate(new SyntheticDomainOptions { Seed = 2, LabelShift = shift });
            return LabelDistributionDistance.JensenShannon(reference.ClassNames, reference.ClassCounts(), other.ClassNames, other.ClassCounts());
        })];

        Assert.Equal(0.0, distances[0], 1e-12);
        for (int i = 1; i < distances.Length; i++)
        {
            Assert.True(distances[i] > distances[i - 1], string.Join(", ", distances));
        }
    }

    [Fact]
    public void TotalVariation_IsHalfTheL1Distance_AlignedByName()
    {
        double distance = LabelDistributionDistance.TotalVariation(["a", "b"], [3, 1], ["b", "c"], [1, 1]);

        // P = (a .75, b .25, c 0), Q = (a 0, b .5, c .5): (.75 + .25 + .5) / 2
        Assert.Equal(0.75, distance, 1e-12);
    }

    [Fact]
    public void JensenShannon_Throws_OnMismatchedLengthsOrEmptyHistograms()
    {
        Assert.Throws<ArgumentException>(() => LabelDistributionDistance.JensenShannon(["a", "b"], [1], ["a"], [1]));
        Assert.Throws<ArgumentException>(() => LabelDistributionDistance.JensenShannon(["a"], [0], ["a"], [1]));
    }
}
