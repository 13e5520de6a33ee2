namespace FTLPortal.Learning.Training;

/// <summary>
/// Binary cross-entropy on logits (PyTorch's BCEWithLogitsLoss): each output is a sigmoid probability that the row has that
/// class; targets are one-hot labels or explicit values in [0, 1]. The mean is over rows × classes. Computed as
/// max(z, 0) − z·t + log(1 + e^−|z|), which never overflows.
/// </summary>
public sealed class BinaryCrossEntropy : ILoss
{
    public BinaryCrossEntropy(int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        OutputCount = outputCount;
    }

    public int OutputCount { get; }

    public double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, Span<float> logitGradient)
    {
        if (labels.Length < rows)
        {
            throw new ArgumentException($"Expected {rows} labels.", nameof(labels));
        }

        return Compute(logits, rows, logitGradient, labels, default);
    }

    /// <summary>The same loss against explicit targets (rows × outputs, each in [0, 1]), e.g. for multi-label data.</summary>
    public double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int rows, Span<float> logitGradient)
    {
        if (targets.Length < rows * OutputCount)
        {
            throw new ArgumentException($"Expected {rows} × {OutputCount} targets.", nameof(targets));
        }

        return Compute(logits, rows, logitGradient, default, targets);
    }

    // Exactly one of labels (one-hot) and targets is used.
    private double Compute(ReadOnlySpan<float> logits, int rows, Span<float> logitGradient, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        int outputs = OutputCount;
        if (logits.Length < rows * outputs)
        {
            throw new ArgumentException($"Expected {rows} × {outputs} logits.", nameof(logits));
        }

        float scale = 1f / (rows * outputs);
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < outputs; c++)
            {
                int i = (r * outputs) + c;
                double z = logits[i];
                double t = targets.IsEmpty ? (labels[r] == c ? 1.0 : 0.0) : targets[i];
                total += Math.Max(z, 0) - (z * t) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                if (!logitGradient.IsEmpty)
                {
                    logitGradient[i] = (float)((Sigmoid(z) - t) * scale);
                }
            }
        }

        return rows == 0 ? 0 : total / (rows * outputs);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
