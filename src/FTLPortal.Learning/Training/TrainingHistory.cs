namespace FTLPortal.Learning.Training;

public sealed record TrainingHistory(IReadOnlyList<EpochMetrics> Epochs);
