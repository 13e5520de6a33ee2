using FTLPortal.Learning.Data;

namespace FTLPortal.Infrastructure.Seeding;

/// <summary>A synthetic domain of the demo federation, with the shift it was generated with.</summary>
internal sealed record DemoDomain(string PartnerSlug, string Name, SyntheticDomainOptions Options);
