namespace FTLPortal.Learning.Training;

/// <summary>A loss over a batch of logits (rows × classes) and class labels, averaged over the batch.</summary>
public interface ILoss
{
    /// <summary>Returns the mean loss and, when <paramref name="logitGradient"/> is not empty, writes d(mean loss)/d(logits).</summary>
    double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, Span<float> logitGradient);
}
