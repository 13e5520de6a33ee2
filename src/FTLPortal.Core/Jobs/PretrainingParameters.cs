namespace FTLPortal.Core.Jobs;

/// <summary>Pre-training a base model on one source domain, run by that domain's agent.</summary>
public sealed record PretrainingParameters
{
    public Guid SourceDomainId { get; init; }

    public string ModelName { get; init; } = "";

    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 32];

    public int Epochs { get; init; } = 20;

    public double LearningRate { get; init; } = 0.01;

    public int BatchSize { get; init; } = 32;

    public int Seed { get; init; } = 7;
}
