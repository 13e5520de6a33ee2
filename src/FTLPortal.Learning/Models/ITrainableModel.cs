namespace FTLPortal.Learning.Models;

/// <summary>A model the built-in <see cref="Training.Trainer"/> can train: batch forward and backward over its own buffers.</summary>
public interface ITrainableModel : IModel
{
    /// <summary>The trainable parameters with their gradient buffers, in layer order.</summary>
    IReadOnlyList<TrainableParameter> Parameters { get; }

    /// <summary>Runs the batch forward and returns the logits (rows × classes), a view of an internal buffer valid until the next call.</summary>
    ReadOnlySpan<float> Forward(ReadOnlySpan<float> features, int rows);

    /// <summary>
    /// Back-propagates <paramref name="logitGradient"/> through the batch of the last <see cref="Forward"/> and fills the
    /// gradients of the layers not in <paramref name="frozenLayers"/> (whose gradients are left untouched).
    /// </summary>
    void Backward(ReadOnlySpan<float> logitGradient, int rows, IReadOnlySet<string> frozenLayers);
}
