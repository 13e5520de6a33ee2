namespace FTLPortal.Infrastructure.Identity;

/// <summary>One seeded demo account: who signs in, as what, for which partner (null for coordinator staff).</summary>
public sealed record DemoUser(string Email, string DisplayName, string Role, Guid? PartnerId);
