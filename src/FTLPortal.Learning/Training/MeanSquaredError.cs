namespace FTLPortal.Learning.Training;

/// <summary>Mean squared error over rows × outputs, against one-hot labels or explicit targets (regression).</summary>
public sealed class MeanSquaredError : ILoss
{
    public MeanSquaredError(int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        OutputCount = outputCount;
    }

    public int OutputCount { get; }

    public double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, Span<float> logitGradient)
    {
        if (labels.Length < rows || logits.Length < rows * OutputCount)
        {
            throw new ArgumentException($"Expected {rows} × {OutputCount} outputs and {rows} labels.", nameof(logits));
        }

        double total = 0;
        float scale = 2f / (rows * OutputCount);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < OutputCount; c++)
            {
                int i = (r * OutputCount) + c;
                float difference = logits[i] - (labels[r] == c ? 1f : 0f);
                total += (double)difference * difference;
                if (!logitGradient.IsEmpty)
                {
                    logitGradient[i] = difference * scale;
                }
            }
        }

        return rows == 0 ? 0 : total / (rows * OutputCount);
    }

    /// <summary>The same loss against explicit targets (rows × outputs).</summary>
    public double Compute(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int rows, Span<float> gradient)
    {
        int count = rows * OutputCount;
        if (outputs.Length < count || targets.Length < count)
        {
            throw new ArgumentException($"Expected {rows} × {OutputCount} outputs and targets.", nameof(outputs));
        }

        double total = 0;
        float scale = 2f / count;
        for (int i = 0; i < count; i++)
        {
            float difference = outputs[i] - targets[i];
            total += (double)difference * difference;
            if (!gradient.IsEmpty)
            {
                gradient[i] = difference * scale;
            }
        }

        return rows == 0 ? 0 : total / count;
    }
}
