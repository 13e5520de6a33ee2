namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>
/// One model's numbers on one domain's rows: <see cref="Split"/> says which rows ("test": the domain's fixed test rows;
/// "cross-validation": pooled out-of-fold predictions of a small domain). Binary tasks fill the ROC AUC, sensitivity and
/// specificity at <see cref="Threshold"/>; every task has macro-F1, per-class recall and the majority-class baseline.
/// </summary>
public sealed record SplitMetrics
{
    public required string Split { get; init; }

    public required int Rows { get; init; }

    public double Loss { get; init; }

    public required MetricInterval Accuracy { get; init; }

    public required MetricInterval BalancedAccuracy { get; init; }

    public required MetricInterval MacroF1 { get; init; }

    public MetricInterval? RocAuc { get; init; }

    public MetricInterval? Sensitivity { get; init; }

    public MetricInterval? Specificity { get; init; }

    public double? Threshold { get; init; }

    /// <summary>Recall per class (in the model's class order), null for a class without rows here.</summary>
    public IReadOnlyList<MetricInterval?> PerClassRecall { get; init; } = [];

    /// <summary>Rows are true classes, columns predicted classes.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; } = [];

    public int MajorityClass { get; init; }

    /// <summary>Accuracy of always predicting <see cref="MajorityClass"/> on these rows.</summary>
    public required MetricInterval MajorityBaselineAccuracy { get; init; }
}
