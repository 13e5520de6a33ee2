using System.Numerics.Tensors;

namespace FTLPortal.Learning.Training;

/// <summary>
/// Softmax cross-entropy with a weight per class, as PyTorch's CrossEntropyLoss(weight=w) with mean reduction: the batch
/// loss is Σ w_{y_i} · CE_i / Σ w_{y_i}, so a rare class with a large weight counts as much as a common one.
/// </summary>
public sealed class WeightedSoftmaxCrossEntropy : ILoss
{
    private readonly float[] _weights;

    public WeightedSoftmaxCrossEntropy(IReadOnlyList<float> classWeights)
    {
        ArgumentNullException.ThrowIfNull(classWeights);
        ArgumentOutOfRangeException.ThrowIfLessThan(classWeights.Count, 2);
        if (classWeights.Any(w => !(w > 0f) || !float.IsFinite(w)))
        {
            throw new ArgumentOutOfRangeException(nameof(classWeights), "Class weights must be positive and finite.");
        }

        _weights = [.. classWeights];
    }

    public int ClassCount => _weights.Length;

    public double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, Span<float> logitGradient)
    {
        int classes = ClassCount;
        if (logits.Length < rows * classes || labels.Length < rows)
        {
            throw new ArgumentException($"Expected {rows} × {classes} logits and {rows} labels.", nameof(logits));
        }

        double weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[r]} is outside the {classes} classes.");
            }

            weightSum += _weights[labels[r]];
        }

        if (rows == 0)
        {
            return 0;
        }

        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            int label = labels[r];
            float max = TensorPrimitives.Max(z);
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(z[c] - max);
            }

            double w = _weights[label];
            total += w * (Math.Log(sum) - (z[label] - max));
            if (!logitGradient.IsEmpty)
            {
                Span<float> g = logitGradient.Slice(r * classes, classes);
                float scale = (float)(w / weightSum);
                for (int c = 0; c < classes; c++)
                {
                    g[c] = (float)(Math.Exp(z[c] - max) / sum) * scale;
                }

                g[label] -= scale;
            }
        }

        return total / weightSum;
    }

    /// <summary>scikit-learn's "balanced" weights: rows / (classes · rows of the class); a class with no row gets 1.</summary>
    public static float[] BalancedWeights(ReadOnlySpan<int> labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (int label in labels)
        {
            counts[label]++;
        }

        int rows = labels.Length;
        return counts.Select(n => n == 0 ? 1f : (float)rows / (classCount * n)).ToArray();
    }
}
