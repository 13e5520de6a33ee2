namespace FTLPortal.Core.Jobs;

/// <summary>The training engines a partner's agent offers (catalog names, the built-in engine first).</summary>
public sealed record PartnerEngineOffer(Guid PartnerId, string PartnerSlug, string PartnerName, IReadOnlyList<string> Engines);
