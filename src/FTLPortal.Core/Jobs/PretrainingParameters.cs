namespace FTLPortal.Core.Jobs;

/// <summary>Pre-training a base model on one source domain, run by that domain's agent.</summary>
public sealed record PretrainingParameters
{
    public Guid SourceDomainId { get; init; }

    public string ModelName { get; init; } = "";

    /// <summary>Units per hidden layer; none is logistic regression.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 32];

    public int Epochs { get; init; } = 20;

    public double LearningRate { get; init; } = 0.01;

    public int BatchSize { get; init; } = 32;

    public int Seed { get; init; } = 7;

    /// <summary>L2 penalty on the weights; 0 is none.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Stop once this many epochs pass without a lower validation loss, keeping the best epoch's weights; 0 trains every epoch.</summary>
    public int EarlyStoppingPatience { get; init; }

    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;

    /// <summary>The share of the source domain's non-test rows used for validation.</summary>
    public double ValidationFraction { get; init; } = 0.2;
}
