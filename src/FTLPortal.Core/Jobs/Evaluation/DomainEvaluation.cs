namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>
/// A participating domain's final numbers: the federated model, the base model as it is and local-only fine-tuning, each
/// on the domain's fixed test rows; for a small domain also the local-only k-fold estimate. Null where the domain's agent
/// could not give a number (<see cref="Note"/> says why).
/// </summary>
public sealed record DomainEvaluation
{
    public required Guid PartnerId { get; init; }

    public required string PartnerName { get; init; }

    public required Guid DomainId { get; init; }

    public required string DomainName { get; init; }

    public int TrainRows { get; init; }

    /// <summary>True for a domain under 100 rows: its test fold is small and its local-only estimate is cross-validated.</summary>
    public bool CrossValidated { get; init; }

    /// <summary>The final (federated) model on the validation rows: the last charted round's number for this domain.</summary>
    public double? FederatedValidationAccuracy { get; init; }

    public double? FederatedValidationLoss { get; init; }

    public SplitMetrics? Federated { get; init; }

    public SplitMetrics? BaseModel { get; init; }

    public SplitMetrics? LocalOnly { get; init; }

    public SplitMetrics? LocalOnlyCrossValidated { get; init; }

    /// <summary>Federated worse than local-only beyond both intervals (<see cref="FineTuningEvaluation.FlagMetric"/>).</summary>
    public bool NegativeTransfer { get; init; }

    /// <summary>
    /// Multitask: the number of classes of the partner's own task head (its metrics are over its own classes, named by
    /// index here: the names are the partner's raw labels); null when the domain used the global head.
    /// </summary>
    public int? OwnHeadClasses { get; init; }

    /// <summary>The negative-transfer action taken during the rounds, e.g. "left after round 7: …"; null when none was.</summary>
    public string? NegativeTransferReaction { get; init; }

    public int RoundsDropped { get; init; }

    public string? Note { get; init; }
}
