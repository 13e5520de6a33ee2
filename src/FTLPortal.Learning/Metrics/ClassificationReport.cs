namespace FTLPortal.Learning.Metrics;

/// <summary>
/// The metrics of one evaluation, each with its bootstrap 95 % interval. Binary tasks (two classes) add ROC AUC, sensitivity
/// and specificity at <see cref="Threshold"/>; every task has macro-F1, per-class recall and the confusion matrix
/// (rows: true class, columns: predicted class). The majority baseline predicts <see cref="MajorityClass"/> for every row.
/// </summary>
public sealed record ClassificationReport
{
    public required int Rows { get; init; }

    public required int ClassCount { get; init; }

    public bool IsBinary => ClassCount == 2;

    public required MetricEstimate Accuracy { get; init; }

    public required MetricEstimate BalancedAccuracy { get; init; }

    public required MetricEstimate MacroF1 { get; init; }

    /// <summary>Recall of each class, null for a class with no evaluated row.</summary>
    public required IReadOnlyList<MetricEstimate?> PerClassRecall { get; init; }

    /// <summary>Binary only; null when the rows hold a single class.</summary>
    public MetricEstimate? RocAuc { get; init; }

    /// <summary>Binary only: recall of the positive class at <see cref="Threshold"/>.</summary>
    public MetricEstimate? Sensitivity { get; init; }

    /// <summary>Binary only: recall of the negative class at <see cref="Threshold"/>.</summary>
    public MetricEstimate? Specificity { get; init; }

    /// <summary>Binary only: the positive-class probability from which a row is predicted positive.</summary>
    public double? Threshold { get; init; }

    public int? PositiveClass { get; init; }

    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    public required int MajorityClass { get; init; }

    /// <summary>Accuracy of always predicting <see cref="MajorityClass"/> (its balanced accuracy is 1 / classes present, its AUC 0.5).</summary>
    public required MetricEstimate MajorityBaselineAccuracy { get; init; }

    public required int BootstrapSamples { get; init; }

    public required int BootstrapSeed { get; init; }

    /// <summary>Value equality, lists included (a record compares list references otherwise).</summary>
    public bool Equals(ClassificationReport? other) =>
        other is not null
        && Rows == other.Rows && ClassCount == other.ClassCount
        && Accuracy == other.Accuracy && BalancedAccuracy == other.BalancedAccuracy && MacroF1 == other.MacroF1
        && PerClassRecall.SequenceEqual(other.PerClassRecall)
        && RocAuc == other.RocAuc && Sensitivity == other.Sensitivity && Specificity == other.Specificity
        && Threshold == other.Threshold && PositiveClass == other.PositiveClass
        && ConfusionMatrix.Count == other.ConfusionMatrix.Count
        && ConfusionMatrix.Zip(other.ConfusionMatrix).All(pair => pair.First.SequenceEqual(pair.Second))
        && MajorityClass == other.MajorityClass && MajorityBaselineAccuracy == other.MajorityBaselineAccuracy
        && BootstrapSamples == other.BootstrapSamples && BootstrapSeed == other.BootstrapSeed;

    public override int GetHashCode() => HashCode.Combine(Rows, ClassCount, Accuracy, BalancedAccuracy, MacroF1, RocAuc, MajorityClass);
}
