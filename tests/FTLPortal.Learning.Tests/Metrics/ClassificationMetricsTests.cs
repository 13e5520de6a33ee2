using FTLPortal.Learning.Metrics;

namespace FTLPortal.Learning.Tests.Metrics;

public class ClassificationMetricsTests
{
    // Known values from scikit-learn 1.x for y_true = [0, 0, 0, 1, 1, 2], y_pred = [0, 0, 1, 1, 2, 2].
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predictions = [0, 0, 1, 1, 2, 2];

    [Fact]
    public void Accuracy_CountsMatches()
    {
        Assert.Equal(4.0 / 6, ClassificationMetrics.Accuracy(Labels, Predictions), 12);
    }

    [Fact]
    public void BalancedAccuracy_AveragesPerClassRecall_ForKnownValues()
    {
        // recalls 2/3, 1/2, 1 → 0.7222
        Assert.Equal(0.722222, ClassificationMetrics.BalancedAccuracy(Labels, Predictions, 3), 6);
    }

    [Fact]
    public void MacroF1_AveragesPerClassF1_ForKnownValues()
    {
        // F1: class 0 = 0.8, class 1 = 0.5, class 2 = 0.6667 → 0.6556 (sklearn f1_score average="macro")
        Assert.Equal(0.655556, ClassificationMetrics.MacroF1(Labels, Predictions, 3), 6);
    }

    [Fact]
    public void RocAuc_MatchesScikitLearn_WithTies()
    {
        // sklearn roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75; with a tie [0.1, 0.4, 0.4, 0.8] = 0.875
        Assert.Equal(0.75, ClassificationMetrics.RocAuc([false, false, true, true], [0.1f, 0.4f, 0.35f, 0.8f]), 12);
        Assert.Equal(0.875, ClassificationMetrics.RocAuc([false, false, true, true], [0.1f, 0.4f, 0.4f, 0.8f]), 12);
    }

    [Fact]
    public void RocAuc_Throws_WhenOnlyOneClassIsPresent()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, true], [0.1f, 0.2f]));
    }

    [Fact]
    public void LogLoss_AveragesNegativeLogProbabilityOfTrueClass()
    {
        float[] probabilities = [0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.7f];

        double value = ClassificationMetrics.LogLoss([0, 1, 0], probabilities, 2);

        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.3)) / 3, value, 6);
    }

    [Fact]
    public void ExpectedCalibrationError_IsZero_ForPerfectCalibrationAndPositiveWhenOverconfident()
    {
        // Two rows at confidence 0.5, one right and one wrong: calibrated.
        double calibrated = ClassificationMetrics.ExpectedCalibrationError([0, 1], [0.5f, 0.5f, 0.5f, 0.5f], 2, bins: 10);
        // Confidence 0.9 on both rows, half right: |0.5 − 0.9| = 0.4.
        double overconfident = ClassificationMetrics.ExpectedCalibrationError([0, 1], [0.9f, 0.1f, 0.9f, 0.1f], 2, bins: 10);

        Assert.Equal(0, calibrated, 12);
        Assert.Equal(0.4, overconfident, 6);
    }
}
