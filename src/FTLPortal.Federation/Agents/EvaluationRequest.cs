using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>Evaluating given weights on one part of a domain's fixed split (validation by default, or test).</summary>
public sealed record EvaluationRequest
{
    public required string DomainId { get; init; }

    public required string ArchitectureJson { get; init; }

    public required byte[] Weights { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Kept for wire compatibility and ignored: every domain has one fixed split, made when it was registered.</summary>
    public int SplitSeed { get; init; }

    /// <summary><see cref="EvaluationSplits.Validation"/> (default) or <see cref="EvaluationSplits.Test"/>.</summary>
    public string Split { get; init; } = EvaluationSplits.Validation;

    /// <summary>
    /// How the attached <see cref="ClassificationReport"/> is computed; null uses the defaults with 1000 bootstrap resamples
    /// on the test split and none on the validation split (per-round numbers).
    /// </summary>
    public ClassificationReportOptions? Report { get; init; }

    /// <summary>
    /// The federated run whose local layers (FedBN) this domain's agent should use in place of those in
    /// <see cref="Weights"/>, when it kept any; null evaluates <see cref="Weights"/> as they are.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Personal layers (FedPer/FedRep: the head): trained here, kept with the partner under <see cref="RunId"/> like FedBN
    /// layers, and never sent back.
    /// </summary>
    public IReadOnlyList<string> PersonalLayers { get; init; } = [];

    /// <summary>The training engine to evaluate with, by name; null is the agent's default. An agent refuses one it does not offer.</summary>
    public string? Engine { get; init; }

    /// <summary>Multitask: evaluate with the domain's own task head (see <see cref="LocalTrainingRequest.OwnHead"/>), kept under <see cref="RunId"/>.</summary>
    public bool OwnHead { get; init; }

    /// <summary>The job's seed for a head that was not kept (see <see cref="LocalTrainingRequest.HeadSeed"/>).</summary>
    public int HeadSeed { get; init; }
}
