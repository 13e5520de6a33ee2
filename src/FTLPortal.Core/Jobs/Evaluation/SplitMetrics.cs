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

    /// <summary>k of a k-fold cross-validation (<see cref="Split"/> "cross-validation"), null for a single split.</summary>
    public int? Folds { get; init; }

    /// <summary>How these numbers were estimated, as the page and the card label them: "k-fold (k = 5)" or "test split".</summary>
    public string Protocol => Folds is { } k ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"k-fold (k = {k})") : $"{Split} split";

    /// <summary>The mean of the k folds' accuracies with its 95 % t interval; null for a single split.</summary>
    public MetricInterval? FoldMeanAccuracy { get; init; }

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
