using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>Pre-training a fresh MLP (<c>ModelArchitecture.Mlp</c>) on one domain.</summary>
public sealed record PretrainRequest
{
    public required string DomainId { get; init; }

    public required IReadOnlyList<int> HiddenSizes { get; init; }

    public required TrainingOptions Training { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }
}

/// <summary>The pre-trained model: its architecture JSON and its weights as safetensors, with the validation metrics.</summary>
public sealed record PretrainResult(
    string ArchitectureJson,
    byte[] Weights,
    IReadOnlyList<string> ClassNames,
    int TrainRows,
    EvaluationResult Validation,
    TrainingHistory History);

/// <summary>
/// One round of local training. <see cref="GlobalWeights"/> are the full global weights (frozen layers included: the agent
/// needs them for the forward pass) as safetensors; the layers in <see cref="FrozenLayers"/> are not trained and not sent back.
/// The frozen layers of <see cref="Training"/> are ignored in favour of <see cref="FrozenLayers"/>.
/// </summary>
public sealed record LocalTrainingRequest
{
    public int Round { get; init; }

    public required string DomainId { get; init; }

    public required string ArchitectureJson { get; init; }

    public required byte[] GlobalWeights { get; init; }

    public IReadOnlyList<string> FrozenLayers { get; init; } = [];

    public required TrainingOptions Training { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }
}

/// <summary>
/// What leaves a partner after local training: the trainable layers' tensors as safetensors, the number of training rows
/// they stand for, the final training loss and the metrics on the partner's validation split.
/// </summary>
public sealed record ModelUpdate(
    string PartnerId,
    int Round,
    int SampleCount,
    byte[] Weights,
    double TrainLoss,
    EvaluationResult Validation);

/// <summary>Evaluating given weights on a domain's validation split.</summary>
public sealed record EvaluationRequest
{
    public required string DomainId { get; init; }

    public required string ArchitectureJson { get; init; }

    public required byte[] Weights { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }
}
