using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// Pre-training a fresh MLP (<c>ModelArchitecture.Mlp</c>) on one domain's fixed train rows; no hidden layer is logistic
/// regression.
/// </summary>
public sealed record PretrainRequest
{
    public required string DomainId { get; init; }

    public required IReadOnlyList<int> HiddenSizes { get; init; }

    public required TrainingOptions Training { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Kept for wire compatibility and ignored: every domain has one fixed split, made when it was registered.</summary>
    public int SplitSeed { get; init; }
}
