namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>
/// One partner's accuracy on its own validation split: base model as is, local-only fine-tuning, federated. Null where
/// the partner's agent could not be reached for that number (<see cref="Note"/> says why). <see cref="Engine"/> and
/// <see cref="EngineVersion"/> name the engine its agent trained with (null in results written before engines per participant).
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
    string? Note = null,
    string? Engine = null,
    string? EngineVersion = null);
