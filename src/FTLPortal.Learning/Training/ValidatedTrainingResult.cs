namespace FTLPortal.Learning.Training;

/// <summary>
/// The epochs trained (each with its validation loss), the epoch with the lowest validation loss (whose weights the model
/// holds when early stopping was on) and whether training stopped before its last epoch.
/// </summary>
public sealed record ValidatedTrainingResult(TrainingHistory History, int BestEpoch, double BestValidationLoss, bool StoppedEarly);
