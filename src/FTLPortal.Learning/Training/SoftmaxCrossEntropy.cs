using System.Numerics.Tensors;

namespace FTLPortal.Learning.Training;

/// <summary>
/// Softmax followed by cross-entropy, averaged over the batch, with its gradient wrt the logits. With label smoothing ε the
/// target is (1 − ε)·onehot + ε/classes, as in PyTorch's CrossEntropyLoss(label_smoothing=ε).
/// </summary>
public sealed class SoftmaxCrossEntropy : ILoss
{
    public SoftmaxCrossEntropy(int classCount)
        : this(classCount, 0f)
    {
    }

    public SoftmaxCrossEntropy(int classCount, float labelSmoothing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), "Label smoothing must be in [0, 1).");
        }

        ClassCount = classCount;
        LabelSmoothing = labelSmoothing;
    }

    public int ClassCount { get; }

    public float LabelSmoothing { get; }

    /// <summary>
    /// Returns the mean loss over <paramref name="rows"/> rows and, when <paramref name="logitGradient"/> is not empty, writes
    /// d(mean loss)/d(logits) = (softmax − onehot) / rows. Uses the max-shift so large logits do not overflow.
    /// </summary>
    public double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, Span<float> logitGradient)
    {
        int classes = ClassCount;
        if (logits.Length < rows * classes || labels.Length < rows)
        {
            throw new ArgumentException($"Expected {rows} × {classes} logits and {rows} labels.", nameof(logits));
        }

        bool withGradient = !logitGradient.IsEmpty;
        float scale = 1f / rows;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            int label = labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} is outside the {classes} classes.");
            }

            float max = TensorPrimitives.Max(z);
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(z[c] - max);
            }

            // loss = log Σ exp(z − max) − Σ t_c (z_c − max), with t the (smoothed) target.
            double logSum = Math.Log(sum);
            double smooth = LabelSmoothing / classes;
            if (LabelSmoothing == 0f)
            {
                total += logSum - (z[label] - max);
            }
            else
            {
                double targetDot = 0;
                for (int c = 0; c < classes; c++)
                {
                    targetDot += (smooth + (c == label ? 1.0 - LabelSmoothing : 0.0)) * (z[c] - max);
                }

                total += logSum - targetDot;
            }

            if (withGradient)
            {
                Span<float> g = logitGradient.Slice(r * classes, classes);
                for (int c = 0; c < classes; c++)
                {
                    g[c] = (float)((Math.Exp(z[c] - max) / sum) - smooth) * scale;
                }

                g[label] -= (1f - LabelSmoothing) * scale;
            }
        }

        return rows == 0 ? 0 : total / rows;
    }
}
