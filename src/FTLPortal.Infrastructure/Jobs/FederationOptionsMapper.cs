using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Federation.Communication;
using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Strategies;
using FTLPortal.Learning.Models;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Turns a job's <see cref="FederationSettings"/> into the federated trainer's options and plan settings.</summary>
internal static class FederationOptionsMapper
{
    /// <summary>The Core checks plus those that need the architecture (FedBN needs batch-norm layers with local statistics).</summary>
    public static string? Validate(FederationSettings settings, ModelArchitecture architecture, IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> frozen, int participants) =>
        FederationSettingsValidator.Validate(settings, layers, frozen, participants)
        ?? (settings.Personalization == PersonalizationKind.FedBN && architecture.LocalLayerNames().Count == 0
            ? "FedBN keeps batch-normalization statistics local, and this base model's batch-norm layers do not keep local statistics: choose FedPer or FedRep."
            : null);

    /// <summary>
    /// The trainer's options. <paramref name="noiseSeed"/> seeds the DP noise per round (kept by the coordinator, never shown),
    /// so a round step delivered twice or resumed adds the same noise.
    /// </summary>
    public static FederatedTrainerOptions TrainerOptions(FederationSettings settings, TimeSpan clientTimeout, bool evaluateFinalModel, int? noiseSeed) => new()
    {
        Strategy = Strategy(settings),
        ClientTimeout = clientTimeout,
        EvaluateFinalModel = evaluateFinalModel,
        SecureAggregation = settings.SecureAggregation,
        Privacy = settings.Privacy is { } p ? Privacy(p, noiseSeed) : null,
    };

    public static IAggregationStrategy Strategy(FederationSettings settings) => settings.Strategy switch
    {
        AggregationStrategyKind.FedAvg => new FederatedAveraging(),
        AggregationStrategyKind.FedAvgM => new FederatedAveragingWithMomentum((float)settings.ServerMomentum, (float)(settings.ServerLearningRate ?? 1.0)),
        AggregationStrategyKind.FedProx => new FederatedProximal((float)settings.ProximalMu),
        AggregationStrategyKind.FedAdam => new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam, (float)(settings.ServerLearningRate ?? 0.01)),
        AggregationStrategyKind.FedYogi => new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Yogi, (float)(settings.ServerLearningRate ?? 0.01)),
        AggregationStrategyKind.FedAdagrad => new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adagrad, (float)(settings.ServerLearningRate ?? 0.01)),
        AggregationStrategyKind.Median => new CoordinateWiseMedian(),
        AggregationStrategyKind.TrimmedMean => new TrimmedMean(settings.TrimFraction),
        AggregationStrategyKind.Krum => new Krum(settings.KrumByzantine),
        AggregationStrategyKind.MultiKrum => new Krum(settings.KrumByzantine, settings.MultiKrumSelected),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Strategy, "Unknown aggregation strategy."),
    };

    /// <summary>The plan's selection, update checks, encoding and personalization from the settings.</summary>
    public static FineTuningPlan Apply(FineTuningPlan plan, FederationSettings settings, IReadOnlyList<ModelLayer> layers, int seed) => plan with
    {
        ClientFraction = settings.ClientFraction,
        MinParticipants = settings.MinParticipants,
        SelectionSeed = seed,
        RoundDeadline = settings.RoundDeadlineSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
        MaxRoundAttempts = settings.MaxRoundAttempts,
        MaxUpdateNorm = settings.MaxUpdateNorm,
        UpdateEncoding = settings.UpdateEncoding switch
        {
            UpdateEncodingKind.HalfPrecision => UpdateEncoding.Float16,
            UpdateEncodingKind.ScaledByte => UpdateEncoding.ScaledByte,
            _ => UpdateEncoding.FullPrecision,
        },
        PersonalLayers = FederationLayerPlan.PersonalLayers(layers, plan.FrozenLayers.ToHashSet(StringComparer.Ordinal), settings),
        PersonalHeadEpochs = settings.Personalization == PersonalizationKind.FedRep ? settings.HeadEpochs : 0,
        TaskHeads = settings.Personalization == PersonalizationKind.MultiTask,
    };

    /// <summary>The round loop's response to negative transfer, or null when the job only flags it.</summary>
    public static NegativeTransferResponse? NegativeTransfer(FederationSettings settings) => settings.NegativeTransferAction switch
    {
        NegativeTransferAction.Personalize => NegativeTransferResponse.Personalize,
        NegativeTransferAction.Leave => NegativeTransferResponse.Leave,
        _ => null,
    };

    private static DifferentialPrivacyOptions Privacy(DifferentialPrivacySettings p, int? noiseSeed) => new()
    {
        NoiseMultiplier = p.NoiseMultiplier,
        ClipNorm = p.ClipNorm,
        AdaptiveClipping = p.AdaptiveClipping,
        TargetQuantile = p.TargetQuantile,
        // The count's noise must exceed z/2 to leave budget for the updates; σ_b = z gives the updates 1.15·z.
        CountNoiseStandardDeviation = Math.Max(0.5, p.NoiseMultiplier),
        Delta = p.Delta,
        EpsilonBudget = p.EpsilonBudget,
        BudgetAction = p.BudgetBehavior == PrivacyBudgetBehavior.Warn ? PrivacyBudgetAction.Warn : PrivacyBudgetAction.Stop,
        NoiseSeed = noiseSeed,
    };
}
