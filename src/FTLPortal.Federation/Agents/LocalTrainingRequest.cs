using FTLPortal.Federation.Communication;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// One round of local training. <see cref="GlobalWeights"/> are the full global weights (frozen layers included: the agent
/// needs them for the forward pass) as safetensors; the layers in <see cref="FrozenLayers"/> are not trained and not sent back.
/// The frozen layers of <see cref="Training"/> are ignored in favour of <see cref="FrozenLayers"/>.
/// Local layers (<c>ModelArchitecture.LocalLayerNames()</c>, FedBN) are trained but never sent back; with a
/// <see cref="RunId"/> the agent keeps them between the rounds of that run.
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

    /// <summary>Kept for wire compatibility and ignored: every domain has one fixed split, made when it was registered.</summary>
    public int SplitSeed { get; init; }

    /// <summary>
    /// Also score the trained model on the domain's test split (<see cref="ModelUpdate.Test"/>), and for a small domain
    /// by k-fold cross-validation (<see cref="ModelUpdate.CrossValidated"/>): the local-only baseline's final numbers.
    /// </summary>
    public bool EvaluateTest { get; init; }

    /// <summary>
    /// Send back the metrics only, no weights (<see cref="ModelUpdate.Weights"/> empty): the local-only baseline needs
    /// nothing more, and a model trained on one partner's rows alone is more revealing than any update.
    /// </summary>
    public bool MetricsOnly { get; init; }

    /// <summary>How the test report is computed (null: the defaults, 1000 bootstrap resamples).</summary>
    public ClassificationReportOptions? Report { get; init; }

    /// <summary>
    /// The federated run this round belongs to. With it, the agent restores this domain's local layers (FedBN) kept from
    /// the run's previous round over the global weights, and keeps them again after training; null keeps nothing
    /// (the local layers then start from the global weights).
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>How to send the update back: float32 safetensors (the default) or a quantized change (<see cref="QuantizedUpdateCodec"/>).</summary>
    public UpdateEncoding UpdateEncoding { get; init; }

    /// <summary>
    /// Personal layers (FedPer/FedRep: the head): trained here, kept with the partner under <see cref="RunId"/> like FedBN
    /// layers, and never sent back.
    /// </summary>
    public IReadOnlyList<string> PersonalLayers { get; init; } = [];

    /// <summary>
    /// FedRep: epochs of training the <see cref="PersonalLayers"/> alone (everything else frozen) before
    /// <see cref="Training"/>'s epochs train the rest with the personal layers frozen. 0 trains them together (FedPer).
    /// </summary>
    public int PersonalHeadEpochs { get; init; }

    /// <summary>The training engine to use, by name (e.g. "torchsharp"); null is the agent's default. An agent refuses one it does not offer.</summary>
    public string? Engine { get; init; }

    /// <summary>
    /// Multitask: the partner trains its own task head. The output layer is re-sized to the domain's own classes (initialised
    /// from <see cref="HeadSeed"/> and the domain id, or restored from the run's previous round) and must be one of the
    /// <see cref="PersonalLayers"/>, so it is never sent; the domain's classes need not be the model's.
    /// </summary>
    public bool OwnHead { get; init; }

    /// <summary>The job's seed for <see cref="OwnHead"/> heads (mixed with the domain id by the agent).</summary>
    public int HeadSeed { get; init; }

    /// <summary>Attach bootstrap intervals (of <see cref="Report"/>) to the validation metrics too, e.g. for the negative-transfer guard's reference.</summary>
    public bool BootstrapValidation { get; init; }
}
