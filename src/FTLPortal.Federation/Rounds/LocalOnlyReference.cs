using FTLPortal.Learning.Metrics;

namespace FTLPortal.Federation.Rounds;

/// <summary>A participant's local-only model on its validation rows: the balanced accuracy the guard compares against.</summary>
public sealed record LocalOnlyReference(string PartnerId, string DomainId, MetricEstimate BalancedAccuracy);
