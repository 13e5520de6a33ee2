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
    /// <summary>The round whose global weights are <see cref="FinalWeights"/> when early stopping was on; otherwise the last round run.</summary>
    public int? BestRound { get; init; }

    /// <summary>Why the run ended before its last round (the ε budget, or early stopping on the validation loss), or null when it ran them all.</summary>
    public string? StoppedEarly { get; init; }

    /// <summary>Every negative-transfer reaction of the run so far (restored ones included), in the order they happened.</summary>
    public IReadOnlyList<NegativeTransferReaction> Reactions { get; init; } = [];
}
