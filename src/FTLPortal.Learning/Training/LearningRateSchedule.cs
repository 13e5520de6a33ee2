namespace FTLPortal.Learning.Training;

/// <summary>Scales the base learning rate by a multiplier that depends on the optimizer step (<c>stepIndex</c>, 0-based, one per batch).</summary>
public abstract record LearningRateSchedule
{
    public abstract double Multiplier(long stepIndex, int stepsPerEpoch, long totalSteps);
}
