namespace FTLPortal.Core.Similarity;

/// <summary>Pairwise distances between domains, computed from their agents' summaries.</summary>
public sealed record SimilarityResult
{
    public IReadOnlyList<Guid> DomainIds { get; init; } = [];

    public IReadOnlyList<string> DomainNames { get; init; } = [];

    /// <summary>Kernel MMD between the domains' random-Fourier-feature mean embeddings (0 = same distribution); null where the schemas differ.</summary>
    public IReadOnlyList<IReadOnlyList<double?>> Mmd { get; init; } = [];

    /// <summary>Jensen–Shannon distance between class histograms (0 to 1).</summary>
    public IReadOnlyList<IReadOnlyList<double?>> LabelDistance { get; init; } = [];

    public int EmbeddingDimension { get; init; }

    public double Bandwidth { get; init; }
}
