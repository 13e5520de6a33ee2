namespace FTLPortal.Core.Jobs;

/// <summary>One partner's result in one round of a fine-tuning job (metrics only; never data).</summary>
public sealed class RoundMetric
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    public int Round { get; set; }

    public Guid PartnerId { get; set; }

    public string PartnerName { get; set; } = "";

    public Guid DomainId { get; set; }

    public int SampleCount { get; set; }

    public double TrainLoss { get; set; }

    public double ValidationLoss { get; set; }

    public double ValidationAccuracy { get; set; }

    public bool Dropped { get; set; }

    public string? DropReason { get; set; }

    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
