namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// One partner's share of a federation in the card: bytes each way over all rounds, updates rejected by the checks, and
/// (FedPer/FedRep) the head it kept, with the accuracy it reached with that head.
/// </summary>
internal sealed record PartnerFederationLine(
    string PartnerName, long BytesToPartner, long BytesFromPartner, int RejectedUpdates, IReadOnlyList<string> Head, double? HeadAccuracy);
