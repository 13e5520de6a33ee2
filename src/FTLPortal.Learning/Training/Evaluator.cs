using FTLPortal.Learning.Data;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Training;

public static class Evaluator
{
    // Probabilities are float: clamp before the log so a confident wrong answer costs a large but finite loss.
    private const double MinProbability = 1e-30;

    /// <summary>Mean cross-entropy and accuracy; labels must already be in the model's class order.</summary>
    public static EvaluationResult Evaluate(IModel model, TabularDataset dataset) => Evaluate(model, dataset, null);

    /// <summary>
    /// As <see cref="Evaluate(IModel, TabularDataset)"/>, and with <paramref name="reportOptions"/> the full
    /// <see cref="ClassificationReport"/> of the same probabilities.
    /// </summary>
    public static EvaluationResult Evaluate(IModel model, TabularDataset dataset, ClassificationReportOptions? reportOptions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.FeatureCount != model.Architecture.InputSize)
        {
            throw new ArgumentException(
                $"The dataset has {dataset.FeatureCount} features; the model expects {model.Architecture.InputSize}.", nameof(dataset));
        }

        if (dataset.ClassNames.Count != model.Architecture.OutputSize)
        {
            throw new ArgumentException(
                $"The dataset has {dataset.ClassNames.Count} classes; the model predicts {model.Architecture.OutputSize}.", nameof(dataset));
        }

        if (dataset.Rows == 0)
        {
            return new EvaluationResult(0, 0, 0);
        }

        float[] probabilities = Probabilities(model, dataset);
        return FromProbabilities(dataset.Labels, probabilities, model.Architecture.OutputSize, reportOptions);
    }

    /// <summary>The evaluation of given class probabilities (rows × classes): what <see cref="Evaluate(IModel, TabularDataset, ClassificationReportOptions?)"/> reports.</summary>
    public static EvaluationResult FromProbabilities(
        ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classes, ClassificationReportOptions? reportOptions)
    {
        if (probabilities.Length != labels.Length * classes)
        {
            throw new ArgumentException($"Expected {labels.Length} × {classes} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        if (labels.IsEmpty)
        {
            return new EvaluationResult(0, 0, 0);
        }

        double loss = 0;
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(r * classes, classes);
            int label = labels[r];
            loss -= Math.Log(Math.Max(p[label], MinProbability));
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p) == label)
            {
                correct++;
            }
        }

        return new EvaluationResult(loss / labels.Length, (double)correct / labels.Length, labels.Length)
        {
            Report = reportOptions is null ? null : ClassificationReporter.Report(labels, probabilities, classes, reportOptions),
        };
    }

    /// <summary>The model's class probabilities for every row (rows × classes, row-major).</summary>
    public static float[] Probabilities(IModel model, TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        var probabilities = new float[dataset.Rows * model.Architecture.OutputSize];
        model.PredictProbabilities(dataset.Features, dataset.Rows, probabilities);
        return probabilities;
    }
}
