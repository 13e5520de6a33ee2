namespace FTLPortal.Core.Similarity;

/// <summary>A candidate source domain and its distances to the target.</summary>
public sealed record RankedSource(Guid DomainId, string DomainName, double? Mmd, double? LabelDistance);
