namespace FTLPortal.Core.Jobs;

/// <summary>
/// One domain's result in one round of a fine-tuning job (metrics only; never data): its local model after local training
/// (train and validation loss, before averaging) and the round's averaged global model on its validation rows.
/// </summary>
public sealed class RoundMetric
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    public int Round { get; set; }

    public Guid PartnerId { get; set; }

    public string PartnerName { get; set; } = "";

    public Guid DomainId { get; set; }

    public string DomainName { get; set; } = "";

    public int SampleCount { get; set; }

    public double TrainLoss { get; set; }

    public double ValidationLoss { get; set; }

    public double ValidationAccuracy { get; set; }

    /// <summary>The round's averaged (global) model on this domain's validation rows; null when it could not be evaluated.</summary>
    public double? GlobalValidationLoss { get; set; }

    public double? GlobalValidationAccuracy { get; set; }

    public double? GlobalValidationBalancedAccuracy { get; set; }

    public int? GlobalValidationRows { get; set; }

    public bool Dropped { get; set; }

    public string? DropReason { get; set; }

    /// <summary>True when the partner's update came but failed the checks (shape, NaN/Inf, norm bound); <see cref="DropReason"/> says why.</summary>
    public bool Rejected { get; set; }

    /// <summary>Bytes of the global model sent to the partner this round.</summary>
    public long BytesToPartner { get; set; }

    /// <summary>Bytes of the update the partner sent back this round (0 when none came).</summary>
    public long BytesFromPartner { get; set; }

    /// <summary>With differential privacy: the job's ε spent after this round (the same for every partner of the round).</summary>
    public double? Epsilon { get; set; }

    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
