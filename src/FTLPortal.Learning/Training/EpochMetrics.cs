namespace FTLPortal.Learning.Training;

/// <summary>Mean training loss and accuracy over the batches of one epoch (measured before each batch's update).</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy)
{
    /// <summary>The validation loss after the epoch, when training was validated (<see cref="ValidatedTraining"/>).</summary>
    public double? ValidationLoss { get; init; }
}
