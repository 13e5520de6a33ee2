using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Strategies;

namespace FTLPortal.Federation.Rounds;

/// <summary>Settings of <see cref="FederatedTrainer"/>.</summary>
public sealed record FederatedTrainerOptions
{
    /// <summary>The aggregation strategy (default: FedAvg weighted by sample count).</summary>
    public IAggregationStrategy Strategy { get; init; } = new FederatedAveraging();

    /// <summary>How long one agent call (a local training or an evaluation) may take before the participant is dropped.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether to evaluate the final global model on every participant's validation and test rows after the last round.</summary>
    public bool EvaluateFinalModel { get; init; } = true;

    /// <summary>Client-level differential privacy (DP-FedAvg) over the updates; null for none. Needs a mean-based strategy.</summary>
    public DifferentialPrivacyOptions? Privacy { get; init; }

    /// <summary>
    /// Secure aggregation (Bonawitz et al. 2017): each round's updates are pairwise masked in fixed point and only their
    /// sample-weighted sum is unmasked. Needs a mean-based strategy and cannot be combined with <see cref="Privacy"/>.
    /// </summary>
    public bool SecureAggregation { get; init; }

    /// <summary>Whether every round's aggregated global model is evaluated by every participant on its validation rows.</summary>
    public bool EvaluateGlobalModelEachRound { get; init; } = true;
}
