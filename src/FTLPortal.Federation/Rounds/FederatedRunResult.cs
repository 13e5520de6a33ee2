using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The outcome of <see cref="FederatedTrainer.RunAsync"/>: the final global weights (also as safetensors), the summaries of
/// the rounds run, and the final model evaluated on each partner that could evaluate it.
/// </summary>
public sealed record FederatedRunResult(
    WeightSet FinalWeights,
    byte[] FinalWeightsSafetensors,
    IReadOnlyList<RoundSummary> Rounds,
    IReadOnlyList<ParticipantEvaluation> FinalEvaluations)
{
    /// <summary>Why the run ended before its last round (e.g. the ε budget), or null when it ran them all.</summary>
    public string? StoppedEarly { get; init; }
}
