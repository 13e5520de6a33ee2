using FTLPortal.Learning.Metrics;

namespace FTLPortal.Learning.Tests.Metrics;

public sealed class FoldMeanTests
{
    [Fact]
    public void Of_GivesTheMeanWithTheStudentTInterval_ForFiveFolds()
    {
        double[] folds = [0.6, 0.7, 0.8, 0.7, 0.7];

        MetricEstimate mean = FoldMean.Of(folds);

        // s = sqrt(0.02 / 4) = 0.0707; t(0.975, 4) = 2.776; half-width 2.776 · 0.0707 / sqrt(5) = 0.0878.
        Assert.Equal(0.7, mean.Value, 1e-12);
        Assert.Equal(0.7 - 0.08778, mean.Lower!.Value, 1e-4);
        Assert.Equal(0.7 + 0.08778, mean.Upper!.Value, 1e-4);
    }

    [Fact]
    public void Of_ClipsTheIntervalToZeroAndOne_AndGivesNoneForOneFold()
    {
        MetricEstimate high = FoldMean.Of([1.0, 0.9, 1.0]);
        MetricEstimate single = FoldMean.Of([0.8]);

        Assert.Equal(1.0, high.Upper);
        Assert.Equal((0.8, (double?)null, (double?)null), (single.Value, single.Lower, single.Upper));
        Assert.Throws<ArgumentException>(() => FoldMean.Of([]));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(10, 2.228)]
    [InlineData(20, 2.086)]
    [InlineData(60, 2.000)]
    public void Quantile_MatchesTheTTable(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, FoldMean.Quantile(degreesOfFreedom), 2e-3);
}
