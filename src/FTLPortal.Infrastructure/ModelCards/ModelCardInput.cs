using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Learning.Engines;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>Everything a model card states, gathered by the fine-tuning job.</summary>
internal sealed record ModelCardInput
{
    public required PortalJob Job { get; init; }

    public required FineTuningParameters Parameters { get; init; }

    public required BaseModel BaseModel { get; init; }

    public required IReadOnlyList<string> ClassNames { get; init; }

    public required IReadOnlyList<string> FeatureNames { get; init; }

    public required IReadOnlyList<ModelLayer> Layers { get; init; }

    public required IReadOnlyList<PartnerResult> Partners { get; init; }

    public required IReadOnlyList<RoundLine> Rounds { get; init; }

    public required string WeightsSha256 { get; init; }

    public required long TrainableParameters { get; init; }

    public required long FrozenParameters { get; init; }

    public required string Strategy { get; init; }

    /// <summary>The final test-split evaluation, the same object the job page shows.</summary>
    public required FineTuningEvaluation Evaluation { get; init; }

    /// <summary>How the job federated (strategy, secure aggregation, DP, traffic, heads); null for cards written before these settings.</summary>
    public FederationCardFacts? Federation { get; init; }

    /// <summary>The engine the agents trained with, by name.</summary>
    public string Engine { get; init; } = BuiltInEngine.EngineName;

    /// <summary>What the engine says of itself (<see cref="ITrainingEngine.Version"/>: "TorchSharp 0.107.0 / libtorch 2.10.0", or ours with its commit).</summary>
    public string EngineVersion { get; init; } = BuiltInEngine.Instance.Version;

    /// <summary>Some participant trained with another engine than <see cref="Engine"/> (a mixed job): the card then names each participant's.</summary>
    public bool MixedEngines => Partners.Any(p => p.Engine is not null && !string.Equals(p.Engine, Engine, StringComparison.OrdinalIgnoreCase));

    public DateTimeOffset GeneratedAt { get; init; } = DateTimeOffset.UtcNow;
}
