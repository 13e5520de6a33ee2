using System.Numerics.Tensors;

namespace FTLPortal.Learning.Training;

/// <summary>Softmax followed by cross-entropy, averaged over the batch, with its gradient wrt the logits.</summary>
public sealed class SoftmaxCrossEntropy
{
    public SoftmaxCrossEntropy(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
    }

    public int ClassCount { get; }

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

            // loss = log Σ exp(z − max) − (z_y − max)
            total += Math.Log(sum) - (z[label] - max);
            if (withGradient)
            {
                Span<float> g = logitGradient.Slice(r * classes, classes);
                for (int c = 0; c < classes; c++)
                {
                    g[c] = (float)(Math.Exp(z[c] - max) / sum) * scale;
                }

                g[label] -= scale;
            }
        }

        return rows == 0 ? 0 : total / rows;
    }
}
