using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Turns the federation's evaluations into what the portal stores: the global model's per-round validation numbers on each
/// round's metric rows, and the final test-split evaluation (federated, base model, local-only) with the negative-transfer
/// flag, once, for both the job page and the model card.
/// </summary>
internal static class FineTuningEvaluationRecorder
{
    /// <summary>Copies the round's global-model evaluation of <paramref name="metric"/>'s domain onto it (nothing when it has none).</summary>
    public static void ApplyGlobal(RoundMetric metric, IReadOnlyList<ParticipantEvaluation> evaluations)
    {
        var evaluation = evaluations.FirstOrDefault(e => e.DomainId == metric.DomainId.ToString() && e.PartnerId == metric.PartnerId.ToString());
        if (evaluation is null)
        {
            return;
        }

        metric.GlobalValidationLoss = evaluation.Validation.Loss;
        metric.GlobalValidationAccuracy = evaluation.Validation.Accuracy;
        metric.GlobalValidationBalancedAccuracy = evaluation.Validation.Report?.BalancedAccuracy.Value;
        metric.GlobalValidationRows = evaluation.Validation.Rows;
    }

    /// <summary>
    /// The recorded rounds as summaries carrying only the global model's validation loss and accuracy (weighted by validation
    /// rows), in round order, for <see cref="ValidationLossTrend"/>; rounds without a global evaluation have NaN.
    /// </summary>
    public static List<RoundSummary> GlobalRounds(IEnumerable<RoundMetric> metrics) =>
        metrics.GroupBy(m => m.Round).OrderBy(g => g.Key).Select(g =>
        {
            var scored = g.Where(m => m.GlobalValidationLoss is not null && m.GlobalValidationRows is > 0).ToList();
            long rows = scored.Sum(m => (long)m.GlobalValidationRows!.Value);
            return new RoundSummary(g.Key, [], [], double.NaN, double.NaN, "")
            {
                GlobalValidationLoss = rows > 0 ? scored.Sum(m => m.GlobalValidationLoss!.Value * m.GlobalValidationRows!.Value) / rows : double.NaN,
                GlobalValidationAccuracy = rows > 0 ? scored.Sum(m => m.GlobalValidationAccuracy!.Value * m.GlobalValidationRows!.Value) / rows : double.NaN,
                Selected = scored.Select(m => m.DomainId.ToString()).ToList(),
            };
        }).ToList();

    /// <summary>The round whose weights are the final model: with early stopping the best so far, otherwise the last recorded.</summary>
    public static int FinalRound(IReadOnlyList<RoundSummary> rounds, int earlyStoppingPatience, int lastRound) =>
        earlyStoppingPatience > 0 ? ValidationLossTrend.BestRound(rounds) ?? lastRound : lastRound;

    public static SplitMetrics? ToMetrics(EvaluationResult? result)
    {
        if (result?.Report is not { } report)
        {
            return null;
        }

        return new SplitMetrics
        {
            Split = result.Split ?? EvaluationSplits.Test,
            Rows = result.Rows,
            Folds = result.FoldAccuracies?.Count,
            FoldMeanAccuracy = result.FoldAccuracies is { Count: > 0 } folds ? Interval(FoldMean.Of(folds)) : null,
            Loss = result.Loss,
            Accuracy = Interval(report.Accuracy)!,
            BalancedAccuracy = Interval(report.BalancedAccuracy)!,
            MacroF1 = Interval(report.MacroF1)!,
            RocAuc = Interval(report.RocAuc),
            Sensitivity = Interval(report.Sensitivity),
            Specificity = Interval(report.Specificity),
            Threshold = report.Threshold,
            PerClassRecall = report.PerClassRecall.Select(Interval).ToList(),
            ConfusionMatrix = report.ConfusionMatrix,
            MajorityClass = report.MajorityClass,
            MajorityBaselineAccuracy = Interval(report.MajorityBaselineAccuracy)!,
        };
    }

    /// <summary>Federated clearly below local-only on the test rows (<see cref="MetricEstimate.IsClearlyBelow"/> on balanced accuracy).</summary>
    public static bool IsNegativeTransfer(EvaluationResult? federated, EvaluationResult? localOnly) =>
        federated?.Report is { } f && localOnly?.Report is { } l && f.BalancedAccuracy.IsClearlyBelow(l.BalancedAccuracy);

    /// <summary>The same test on stored intervals (for checking a stored flag).</summary>
    public static bool IsNegativeTransferOf(MetricInterval federated, MetricInterval localOnly)
    {
        ArgumentNullException.ThrowIfNull(federated);
        ArgumentNullException.ThrowIfNull(localOnly);
        return new MetricEstimate(federated.Value, federated.Lower, federated.Upper)
            .IsClearlyBelow(new MetricEstimate(localOnly.Value, localOnly.Lower, localOnly.Upper));
    }

    private static MetricInterval? Interval(MetricEstimate? estimate) =>
        estimate is null ? null : new MetricInterval(estimate.Value, estimate.Lower, estimate.Upper);
}
