namespace FTLPortal.Federation.Rounds;

/// <summary>One partner's traffic in a round: the global model it was sent and the update it sent back (0 if none came).</summary>
public sealed record ParticipantTraffic(string PartnerId, long BytesToPartner, long BytesFromPartner);
