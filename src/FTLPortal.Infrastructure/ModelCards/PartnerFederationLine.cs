namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// One partner's share of a federation in the card: bytes each way over all rounds, updates rejected by the checks, and
/// (FedPer/FedRep/MultiTask) the head it kept, with the accuracy it reached with that head; under MultiTask also the
/// number of classes of its own head and its balanced accuracy (class names are the partner's labels: never here).
/// </summary>
internal sealed record PartnerFederationLine(
    string PartnerName, long BytesToPartner, long BytesFromPartner, int RejectedUpdates, IReadOnlyList<string> Head, double? HeadAccuracy)
{
    public int? HeadClasses { get; init; }

    public double? HeadBalancedAccuracy { get; init; }

    /// <summary>The negative-transfer action taken for this partner during the rounds, or null.</summary>
    public string? NegativeTransferReaction { get; init; }
}
