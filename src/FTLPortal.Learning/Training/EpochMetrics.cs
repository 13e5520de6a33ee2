namespace FTLPortal.Learning.Training;

/// <summary>Mean training loss and accuracy over the batches of one epoch (measured before each batch's update).</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy);
