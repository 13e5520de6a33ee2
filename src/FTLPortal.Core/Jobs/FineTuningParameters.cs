namespace FTLPortal.Core.Jobs;

/// <summary>What a data scientist chose for a federated fine-tuning job.</summary>
public sealed record FineTuningParameters
{
    public Guid BaseModelId { get; init; }

    public IReadOnlyList<string> FrozenLayers { get; init; } = [];

    public IReadOnlyList<Guid> TargetDomainIds { get; init; } = [];

    public int Rounds { get; init; } = 5;

    public int LocalEpochs { get; init; } = 2;

    public double LearningRate { get; init; } = 0.005;

    public int BatchSize { get; init; } = 32;

    public int Seed { get; init; } = 42;

    /// <summary>Strategy, client selection, secure aggregation, differential privacy, encoding and personalization (default: plain FedAvg).</summary>
    public FederationSettings Federation { get; init; } = new();
}
