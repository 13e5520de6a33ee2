namespace FTLPortal.Core.Jobs;

/// <summary>What a data scientist chose for a federated fine-tuning job.</summary>
public sealed record FineTuningParameters
{
    /// <summary>The engine written in this repository (<see cref="Engine"/>'s default).</summary>
    public const string BuiltInEngine = "builtin";

    public Guid BaseModelId { get; init; }

    public IReadOnlyList<string> FrozenLayers { get; init; } = [];

    public IReadOnlyList<Guid> TargetDomainIds { get; init; } = [];

    public int Rounds { get; init; } = 5;

    public int LocalEpochs { get; init; } = 2;

    public double LearningRate { get; init; } = 0.005;

    public int BatchSize { get; init; } = 32;

    public int Seed { get; init; } = 42;

    // Model choice (the architecture itself, logistic regression or an MLP, is the base model's; see PretrainingParameters).

    /// <summary>L2 penalty on the weights during local training; 0 is none.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Stop once this many rounds pass without a lower global validation loss, keeping the best round's weights; 0 runs every round.</summary>
    public int EarlyStoppingPatience { get; init; }

    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;

    /// <summary>The share of each domain's non-test rows used for validation (the test rows are fixed per domain).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Strategy, client selection, secure aggregation, differential privacy, encoding and personalization (default: plain FedAvg).</summary>
    public FederationSettings Federation { get; init; } = new();

    /// <summary>The training engine every participant's agent trains and evaluates with, by name ("builtin", "torchsharp"); see <see cref="IEngineChoices"/>.</summary>
    public string Engine { get; init; } = BuiltInEngine;

    /// <summary>
    /// Participants that train with another engine than <see cref="Engine"/>: partner slug or id to engine name (a partner
    /// whose agent offers only one engine). A partner not named trains with <see cref="Engine"/>. A scheduled job stores
    /// it by partner id with catalog names.
    /// </summary>
    public IReadOnlyDictionary<string, string> ParticipantEngines { get; init; } = new Dictionary<string, string>();

    /// <summary>The engine the partner <paramref name="partnerId"/> trains with: its entry of <see cref="ParticipantEngines"/> (by id, as stored), else <see cref="Engine"/>.</summary>
    public string EngineOf(Guid partnerId) =>
        ParticipantEngines is { } chosen && chosen.TryGetValue(partnerId.ToString(), out var engine) && !string.IsNullOrWhiteSpace(engine) ? engine : Engine;
}
