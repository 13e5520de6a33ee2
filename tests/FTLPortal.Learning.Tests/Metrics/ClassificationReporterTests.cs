using FTLPortal.Learning.Metrics;

namespace FTLPortal.Learning.Tests.Metrics;

public class ClassificationReporterTests
{
    private static readonly float[] MajorityRow = [0.9f, 0.1f];

    [Fact]
    public void Report_GivesBalancedAccuracyAndAucOneHalfAndTheBaseline_WhenModelPredictsOnlyTheMajorityOf90To10()
    {
        // 90 negatives, 10 positives; the model gives every row the same 0.9 / 0.1 probabilities.
        int[] labels = [.. Enumerable.Repeat(0, 90), .. Enumerable.Repeat(1, 10)];
        float[] probabilities = Enumerable.Range(0, 100).SelectMany(_ => MajorityRow).ToArray();

        ClassificationReport report = ClassificationReporter.Report(labels, probabilities, 2, new ClassificationReportOptions { BootstrapSamples = 200 });

        Assert.Equal(0.9, report.Accuracy.Value, 12);
        Assert.Equal(0.5, report.BalancedAccuracy.Value, 12);
        Assert.Equal(0.5, report.RocAuc!.Value, 12);
        Assert.Equal(0.0, report.Sensitivity!.Value, 12);
        Assert.Equal(1.0, report.Specificity!.Value, 12);
        Assert.Equal(0, report.MajorityClass);
        Assert.Equal(0.9, report.MajorityBaselineAccuracy.Value, 12);
        Assert.Equal([[90, 0], [10, 0]], report.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        // The accuracy equals the baseline in every resample: a constant model is no better than the majority.
        Assert.Equal(report.MajorityBaselineAccuracy.Lower, report.Accuracy.Lower);
        Assert.Equal(0.5, report.BalancedAccuracy.Lower!.Value, 12);
        Assert.Equal(0.5, report.BalancedAccuracy.Upper!.Value, 12);
    }

    [Fact]
    public void Report_ComputesSensitivitySpecificityAtTheChosenThreshold_ForKnownScores()
    {
        int[] labels = [0, 0, 1, 1];
        float[] positive = [0.1f, 0.4f, 0.35f, 0.8f];
        float[] probabilities = positive.SelectMany(p => new[] { 1 - p, p }).ToArray();

        ClassificationReport atHalf = ClassificationReporter.Report(labels, probabilities, 2, new ClassificationReportOptions { BootstrapSamples = 0 });
        ClassificationReport atThird = ClassificationReporter.Report(labels, probabilities, 2, new ClassificationReportOptions { BootstrapSamples = 0, Threshold = 0.3 });

        Assert.Equal(0.75, atHalf.RocAuc!.Value, 12); // sklearn roc_auc_score
        Assert.Equal(0.5, atHalf.Sensitivity!.Value, 12);
        Assert.Equal(1.0, atHalf.Specificity!.Value, 12);
        Assert.Equal(1.0, atThird.Sensitivity!.Value, 12);
        Assert.Equal(0.5, atThird.Specificity!.Value, 12);
        Assert.Null(atHalf.Accuracy.Lower);
    }

    [Fact]
    public void Report_GivesMacroF1AndPerClassRecall_ForMulticlassKnownValues()
    {
        // sklearn: y_true = [0, 0, 0, 1, 1, 2], y_pred = [0, 0, 1, 1, 2, 2]: macro-F1 0.6556, recalls 2/3, 1/2, 1.
        int[] labels = [0, 0, 0, 1, 1, 2];
        int[] predicted = [0, 0, 1, 1, 2, 2];
        float[] probabilities = predicted.SelectMany(p => Enumerable.Range(0, 3).Select(c => c == p ? 0.8f : 0.1f)).ToArray();

        ClassificationReport report = ClassificationReporter.Report(labels, probabilities, 3, new ClassificationReportOptions { BootstrapSamples = 100 });

        Assert.False(report.IsBinary);
        Assert.Null(report.RocAuc);
        Assert.Equal(0.655556, report.MacroF1.Value, 6);
        Assert.Equal([2.0 / 3, 0.5, 1.0], report.PerClassRecall.Select(r => r!.Value).ToArray());
        Assert.Equal(1, report.ConfusionMatrix[1][1]);
        Assert.Equal(1, report.ConfusionMatrix[1][2]);
    }

    [Fact]
    public void Report_GivesIdenticalIntervalsThatBracketTheValue_ForTheSameSeed()
    {
        int[] labels = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
#pragma warning disable CA5394 // Test data.
        var random = new Random(3);
        float[] positive = labels.Select(l => (float)Math.Clamp((0.35 * l) + (0.6 * random.NextDouble()), 0.01, 0.99)).ToArray();
#pragma warning restore CA5394
        float[] probabilities = positive.SelectMany(p => new[] { 1 - p, p }).ToArray();
        var options = new ClassificationReportOptions { BootstrapSamples = 300, Seed = 11 };

        ClassificationReport first = ClassificationReporter.Report(labels, probabilities, 2, options);
        ClassificationReport second = ClassificationReporter.Report(labels, probabilities, 2, options);
        ClassificationReport otherSeed = ClassificationReporter.Report(labels, probabilities, 2, options with { Seed = 12 });

        Assert.Equal(first.RocAuc, second.RocAuc);
        Assert.NotEqual(first.RocAuc!.Lower, otherSeed.RocAuc!.Lower);
        foreach (MetricEstimate e in new[] { first.Accuracy, first.BalancedAccuracy, first.MacroF1, first.RocAuc, first.Sensitivity!, first.Specificity! })
        {
            Assert.InRange(e.Value, e.Lower!.Value, e.Upper!.Value);
            Assert.True(e.Upper - e.Lower > 0.01, $"interval {e.Lower}..{e.Upper} is implausibly narrow for 200 rows");
        }
    }

    [Fact]
    public void IsClearlyBelow_IsFalse_WhenIntervalsOverlapOrAreMissing()
    {
        var local = new MetricEstimate(0.80, 0.70, 0.90);
        Assert.False(new MetricEstimate(0.78, 0.68, 0.88).IsClearlyBelow(local));
        Assert.True(new MetricEstimate(0.55, 0.45, 0.65).IsClearlyBelow(local));
        Assert.False(new MetricEstimate(0.55, null, null).IsClearlyBelow(local));
    }

    [Fact]
    public void Report_Throws_WhenProbabilitiesDoNotMatchTheRows()
    {
        Assert.Throws<ArgumentException>(() => ClassificationReporter.Report([0, 1], [0.5f, 0.5f], 2));
        Assert.Throws<ArgumentException>(() => ClassificationReporter.Report([], [], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationReporter.Report([0, 1], [0.5f, 0.5f, 0.5f, 0.5f], 2, new ClassificationReportOptions { Threshold = 1.5 }));
    }
}
