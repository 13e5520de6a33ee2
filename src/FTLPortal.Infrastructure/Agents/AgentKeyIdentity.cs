namespace FTLPortal.Infrastructure.Agents;

/// <summary>Who an accepted agent key speaks for.</summary>
public sealed record AgentKeyIdentity(Guid KeyId, Guid PartnerId, string PartnerSlug, string Prefix);
