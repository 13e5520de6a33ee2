using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Rounds;

/// <summary>Early stopping for <see cref="FederatedTrainer"/>: keeps the weights of the round with the lowest global validation loss.</summary>
internal sealed class BestRoundKeeper(int patience)
{
    private WeightSet? _weights;
    private byte[]? _bytes;
    private IReadOnlyList<ParticipantEvaluation>? _evaluations;

    public int? Round { get; private set; }

    public bool Stopped { get; private set; }

    /// <summary>Records the round just completed; returns whether the run should stop now.</summary>
    public bool Observe(IReadOnlyList<RoundSummary> rounds, WeightSet weights, byte[] bytes, IReadOnlyList<ParticipantEvaluation> evaluations)
    {
        if (patience == 0)
        {
            return false;
        }

        int? best = ValidationLossTrend.BestRound(rounds);
        if (best == rounds[^1].Round)
        {
            (Round, _weights, _bytes, _evaluations) = (best, weights, bytes, evaluations);
        }

        Stopped = ValidationLossTrend.ShouldStop(rounds, patience);
        return Stopped;
    }

    /// <summary>The weights to return: the best round's when early stopping was on and a best round exists.</summary>
    public (WeightSet Weights, byte[] Bytes, IReadOnlyList<ParticipantEvaluation>? Evaluations) Final(
        WeightSet weights, byte[] bytes, IReadOnlyList<ParticipantEvaluation>? evaluations) =>
        _weights is null ? (weights, bytes, evaluations) : (_weights, _bytes!, _evaluations);
}
