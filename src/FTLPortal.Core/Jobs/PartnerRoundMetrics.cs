namespace FTLPortal.Core.Jobs;

/// <summary>A partner's numbers in one round, as carried by events.</summary>
public sealed record PartnerRoundMetrics(Guid PartnerId, string PartnerName, int SampleCount, double TrainLoss, double ValidationLoss, double ValidationAccuracy, bool Dropped);
