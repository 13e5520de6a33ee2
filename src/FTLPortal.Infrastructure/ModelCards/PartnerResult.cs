namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// One partner's accuracy on its own validation split: base model as is, local-only fine-tuning, federated. Null where
/// the partner's agent could not be reached for that number (<see cref="Note"/> says why).
/// </summary>
internal sealed record PartnerResult(
    string PartnerName,
    string DomainName,
    int TrainRows,
    int ValidationRows,
    double? BaseAccuracy,
    double? LocalOnlyAccuracy,
    double? FederatedAccuracy,
    double? FederatedLoss,
    int RoundsDropped,
    string? Note = null);
