using FTLPortal.Federation.Communication;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// What leaves a partner after local training: the tensors of the trainable shared layers (never frozen nor local ones) as safetensors, the number of training rows
/// they stand for, the final training loss and the metrics on the partner's validation split.
/// </summary>
public sealed record ModelUpdate(
    string PartnerId,
    int Round,
    int SampleCount,
    byte[] Weights,
    double TrainLoss,
    EvaluationResult Validation)
{
    /// <summary>The trained model on the domain's test split, when <see cref="LocalTrainingRequest.EvaluateTest"/> asked for it.</summary>
    public EvaluationResult? Test { get; init; }

    /// <summary>The pooled out-of-fold estimate of a small domain (k-fold cross-validation), when the test was asked for.</summary>
    public EvaluationResult? CrossValidated { get; init; }

    /// <summary>How <see cref="Weights"/> is encoded (float32 safetensors unless the request asked for a quantized change).</summary>
    public UpdateEncoding Encoding { get; init; }
}
