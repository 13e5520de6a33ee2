namespace FTLPortal.Federation.Rounds;

/// <summary>A participant (a domain of a partner) that left a round, and why.</summary>
public sealed record DroppedParticipant(string PartnerId, string Reason)
{
    public string DomainId { get; init; } = string.Empty;
}
