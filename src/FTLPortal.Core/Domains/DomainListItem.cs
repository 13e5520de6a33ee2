namespace FTLPortal.Core.Domains;

/// <summary>A row of the domain list.</summary>
public sealed record DomainListItem(Guid Id, string Name, Guid PartnerId, string PartnerName, int Rows, int FeatureCount, int ClassCount, DateTimeOffset RegisteredAt);
