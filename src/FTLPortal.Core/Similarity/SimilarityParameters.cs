namespace FTLPortal.Core.Similarity;

/// <summary>The domains to compare.</summary>
public sealed record SimilarityParameters
{
    public IReadOnlyList<Guid> DomainIds { get; init; } = [];
}
