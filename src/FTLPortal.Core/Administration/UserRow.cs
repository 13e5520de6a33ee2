namespace FTLPortal.Core.Administration;

/// <summary>An account as the admin console lists it; <see cref="Role"/> is null when it has none.</summary>
public sealed record UserRow(string Id, string Email, string DisplayName, string? Role, Guid? PartnerId, string? PartnerName, bool Disabled);
