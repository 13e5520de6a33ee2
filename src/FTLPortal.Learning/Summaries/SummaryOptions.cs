namespace FTLPortal.Learning.Summaries;

public sealed record SummaryOptions
{
    public int EmbeddingDimension { get; init; } = 256;

    /// <summary>Shared by all partners so their embeddings live in the same random-feature space.</summary>
    public int EmbeddingSeed { get; init; } = 20261122;

    /// <summary>Gaussian kernel bandwidth σ; 0 means √(feature count).</summary>
    public double Bandwidth { get; init; }
}
