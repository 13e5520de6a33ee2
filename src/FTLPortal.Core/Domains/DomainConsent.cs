namespace FTLPortal.Core.Domains;

/// <summary>What the owning partner allows the federation to do with a domain.</summary>
public sealed record DomainConsent(bool Similarity, bool Training);
