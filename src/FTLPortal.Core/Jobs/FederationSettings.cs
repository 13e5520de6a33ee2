namespace FTLPortal.Core.Jobs;

/// <summary>
/// How a fine-tuning job federates: the aggregation strategy and its hyper-parameters, client selection, secure
/// aggregation, differential privacy, update encoding and personalization. The defaults are plain FedAvg over every
/// partner each round with everything else off.
/// </summary>
public sealed record FederationSettings
{
    public AggregationStrategyKind Strategy { get; init; } = AggregationStrategyKind.FedAvg;

    /// <summary>η of FedAvgM and the server optimizers; null uses the strategy's default (1 for FedAvgM, 0.01 for FedAdam/Yogi/Adagrad).</summary>
    public double? ServerLearningRate { get; init; }

    /// <summary>β of FedAvgM (β₁ of FedAdam/Yogi/Adagrad is fixed at 0.9).</summary>
    public double ServerMomentum { get; init; } = 0.9;

    /// <summary>μ of FedProx.</summary>
    public double ProximalMu { get; init; } = 0.01;

    /// <summary>The fraction trimmed from each end of every coordinate (trimmed mean).</summary>
    public double TrimFraction { get; init; } = 0.2;

    /// <summary>f: how many partners Krum and Multi-Krum tolerate being Byzantine.</summary>
    public int KrumByzantine { get; init; } = 1;

    /// <summary>m: how many of the best-scored updates Multi-Krum averages.</summary>
    public int MultiKrumSelected { get; init; } = 2;

    /// <summary>The fraction of partners asked to train each round (at least <see cref="MinParticipants"/>).</summary>
    public double ClientFraction { get; init; } = 1.0;

    /// <summary>The fewest valid updates a round needs; with fewer it is retried or the job fails.</summary>
    public int MinParticipants { get; init; } = 1;

    /// <summary>How long a round waits for updates, in seconds; null waits up to the per-partner timeout.</summary>
    public int? RoundDeadlineSeconds { get; init; }

    /// <summary>How many times a round is tried (each with a fresh choice of partners) before the job fails.</summary>
    public int MaxRoundAttempts { get; init; } = 1;

    /// <summary>The largest L2 change an update may make to the global weights; larger ones are rejected. Null for no bound.</summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary>Pairwise-masked secure aggregation: the coordinator learns only the sum. Excludes the robust strategies.</summary>
    public bool SecureAggregation { get; init; }

    /// <summary>Client-level differential privacy; null for none.</summary>
    public DifferentialPrivacySettings? Privacy { get; init; }

    public UpdateEncodingKind UpdateEncoding { get; init; } = UpdateEncodingKind.FullPrecision;

    public PersonalizationKind Personalization { get; init; } = PersonalizationKind.None;

    /// <summary>FedPer/FedRep: the layers each partner keeps (its head); empty means the last layer with weights.</summary>
    public IReadOnlyList<string> PersonalLayers { get; init; } = [];

    /// <summary>FedRep: epochs of head-only training before the backbone's epochs each round.</summary>
    public int HeadEpochs { get; init; } = 1;

    /// <summary>
    /// What a partner flagged for negative transfer during the rounds does (its global-model validation balanced accuracy
    /// clearly below its local-only model's): nothing (the default), switch to a personal head, or leave the remaining rounds.
    /// </summary>
    public NegativeTransferAction NegativeTransferAction { get; init; } = NegativeTransferAction.None;

    /// <summary>True for the strategies that need every plain update (they cannot run on masked or noised sums).</summary>
    public bool IsRobustStrategy => Strategy is AggregationStrategyKind.Median or AggregationStrategyKind.TrimmedMean
        or AggregationStrategyKind.Krum or AggregationStrategyKind.MultiKrum;

    /// <summary>A one-line description for pages and cards, e.g. "FedAdam (η = 0.01)".</summary>
    public string Describe() => Strategy switch
    {
        AggregationStrategyKind.FedAvgM => Format($"FedAvgM (η = {ServerLearningRate ?? 1.0:G4}, β = {ServerMomentum:G4})"),
        AggregationStrategyKind.FedProx => Format($"FedProx (μ = {ProximalMu:G4})"),
        AggregationStrategyKind.FedAdam or AggregationStrategyKind.FedYogi or AggregationStrategyKind.FedAdagrad =>
            Format($"{Strategy} (η = {ServerLearningRate ?? 0.01:G4})"),
        AggregationStrategyKind.TrimmedMean => Format($"TrimmedMean (trim {TrimFraction:G4} each end)"),
        AggregationStrategyKind.Krum => Format($"Krum (f = {KrumByzantine})"),
        AggregationStrategyKind.MultiKrum => Format($"MultiKrum (f = {KrumByzantine}, m = {MultiKrumSelected})"),
        _ => Strategy.ToString(),
    };

    private static string Format(FormattableString text) => FormattableString.Invariant(text);
}
