namespace FTLPortal.Learning.Training;

public enum LossKind
{
    /// <summary><see cref="SoftmaxCrossEntropy"/>, optionally with label smoothing.</summary>
    SoftmaxCrossEntropy,

    /// <summary><see cref="BinaryCrossEntropy"/>: one sigmoid per class against the one-hot label.</summary>
    BinaryCrossEntropy,

    /// <summary><see cref="MeanSquaredError"/> between the outputs and the one-hot label.</summary>
    MeanSquaredError,
}
