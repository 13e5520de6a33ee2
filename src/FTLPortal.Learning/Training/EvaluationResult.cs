using FTLPortal.Learning.Metrics;

namespace FTLPortal.Learning.Training;

/// <summary>
/// Mean cross-entropy, accuracy and row count of one evaluation; <see cref="Report"/> adds the full metrics with intervals,
/// and <see cref="Split"/> names the rows evaluated (<see cref="EvaluationSplits"/>), so a page and a card label them alike.
/// </summary>
public sealed record EvaluationResult(double Loss, double Accuracy, int Rows)
{
    public ClassificationReport? Report { get; init; }

    public string? Split { get; init; }

    /// <summary>A cross-validation's accuracy on each fold's test rows (k = the count), or null for a single split.</summary>
    public IReadOnlyList<double>? FoldAccuracies { get; init; }
}
