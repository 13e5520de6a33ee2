using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// The k-fold estimate of a small domain: each fold of its fixed split is the test rows once, a model is fitted on the
/// train rows of the others (standardized with their statistics), and the out-of-fold probabilities of all rows are pooled
/// into one evaluation; each fold's own accuracy is kept for the fold mean.
/// </summary>
internal static class CrossValidation
{
    public static EvaluationResult Estimate(
        TabularDataset dataset,
        DomainSplit split,
        double validationFraction,
        Func<PreparedSplit, IEngineModel> fit,
        ClassificationReportOptions report,
        CancellationToken ct)
    {
        int classes = dataset.ClassNames.Count;
        var labels = new List<int>(dataset.Rows);
        var probabilities = new List<float>(dataset.Rows * classes);
        var foldAccuracies = new List<double>(split.FoldCount);
        for (int fold = 0; fold < split.FoldCount; fold++)
        {
            ct.ThrowIfCancellationRequested();
            PreparedSplit part = PreparedSplit.From(dataset, split, validationFraction, fold);
            using IEngineModel model = fit(part);
            float[] foldProbabilities = Evaluator.Probabilities(model, part.Test);
            foldAccuracies.Add(Evaluator.FromProbabilities(part.Test.Labels, foldProbabilities, classes, null).Accuracy);
            labels.AddRange(part.Test.Labels);
            probabilities.AddRange(foldProbabilities);
        }

        return Evaluator.FromProbabilities([.. labels], [.. probabilities], classes, report) with
        {
            Split = EvaluationSplits.CrossValidation,
            FoldAccuracies = foldAccuracies,
        };
    }
}
