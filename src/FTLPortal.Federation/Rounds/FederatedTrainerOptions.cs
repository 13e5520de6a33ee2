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
    /// Secure aggregation (Bonawitz et al. 2017): each agent masks its own update in fixed point and the coordinator unmasks
    /// only the sample-weighted sum. Needs a mean-based strategy and agents that support it. With <see cref="Privacy"/>
    /// (fixed clip only) the agents clip and noise their own updates (distributed DP, <see cref="Agents.DistributedNoise"/>).
    /// </summary>
    public bool SecureAggregation { get; init; }

    /// <summary>Whether every round's aggregated global model is evaluated by every participant on its validation rows.</summary>
    public bool EvaluateGlobalModelEachRound { get; init; } = true;
}
