namespace FTLPortal.Learning.Summaries;

#pragma warning disable CA1819 // A plain data contract serialised with System.Text.Json; arrays round-trip as-is.

/// <summary>What an agent publishes about a domain instead of its rows.</summary>
public sealed record DomainSummary
{
    public int Rows { get; init; }

    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    public double[] Means { get; init; } = [];

    public double[] StandardDeviations { get; init; } = [];

    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public int[] ClassCounts { get; init; } = [];

    public int EmbeddingSeed { get; init; }

    public double EmbeddingBandwidth { get; init; }

    /// <summary>Mean of the random Fourier features of the raw rows: a kernel mean embedding.</summary>
    public double[] MeanEmbedding { get; init; } = [];
}
