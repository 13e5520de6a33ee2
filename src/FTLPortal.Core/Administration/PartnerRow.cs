namespace FTLPortal.Core.Administration;

/// <summary>A partner as the admin console lists it.</summary>
public sealed record PartnerRow(Guid Id, string Name, string Slug, int Users, int Domains, DateTimeOffset CreatedAt);
