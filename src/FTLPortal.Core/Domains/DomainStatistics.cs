using System.Text.Json;

namespace FTLPortal.Core.Domains;

/// <summary>The human-readable part of a domain summary: what the domain page shows.</summary>
public sealed record DomainStatistics
{
    public int Rows { get; init; }

    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    public IReadOnlyList<double> Means { get; init; } = [];

    public IReadOnlyList<double> StandardDeviations { get; init; } = [];

    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public IReadOnlyList<int> ClassCounts { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads the statistics out of a summary JSON, ignoring the embedding.</summary>
    public static DomainStatistics FromSummaryJson(string summaryJson) =>
        JsonSerializer.Deserialize<DomainStatistics>(summaryJson, Options) ?? new DomainStatistics();
}
