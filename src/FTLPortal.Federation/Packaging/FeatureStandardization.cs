namespace FTLPortal.Federation.Packaging;

/// <summary>
/// One z-scoring of the features: a domain's (fitted on its fixed train rows, named by the domain id) or the pooled
/// "global" one over every domain's train rows.
/// </summary>
public sealed record FeatureStandardization(string Name, IReadOnlyList<float> Means, IReadOnlyList<float> StandardDeviations, int Rows);
