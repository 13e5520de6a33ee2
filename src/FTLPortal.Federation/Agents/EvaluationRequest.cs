using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>Evaluating given weights on a domain's validation split.</summary>
public sealed record EvaluationRequest
{
    public required string DomainId { get; init; }

    public required string ArchitectureJson { get; init; }

    public required byte[] Weights { get; init; }

    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }

    /// <summary>
    /// The federated run whose local layers (FedBN) this domain's agent should use in place of those in
    /// <see cref="Weights"/>, when it kept any; null evaluates <see cref="Weights"/> as they are.
    /// </summary>
    public string? RunId { get; init; }
}
