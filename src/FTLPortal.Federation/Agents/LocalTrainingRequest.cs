using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// One round of local training. <see cref="GlobalWeights"/> are the full global weights (frozen layers included: the agent
/// needs them for the forward pass) as safetensors; the layers in <see cref="FrozenLayers"/> are not trained and not sent back.
/// The frozen layers of <see cref="Training"/> are ignored in favour of <see cref="FrozenLayers"/>.
/// </summary>
public sealed record LocalTrainingRequest
{
    public int Round { get; init; }

    public required string DomainId { get; init; }

    public required string ArchitectureJson { get; init; }

    public required byte[] GlobalWeights { get; init; }

    public IReadOnlyList<string> FrozenLayers { get; init; } = [];

    public required TrainingOptions Training { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }
}
