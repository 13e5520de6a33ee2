namespace FTLPortal.Learning.Training;

/// <summary>Multiplies the learning rate by <paramref name="Gamma"/> every <paramref name="EpochsPerStep"/> epochs (PyTorch's StepLR).</summary>
public sealed record StepSchedule(int EpochsPerStep, double Gamma) : LearningRateSchedule
{
    public override double Multiplier(long stepIndex, int stepsPerEpoch, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EpochsPerStep);
        long epoch = stepIndex / Math.Max(1, stepsPerEpoch);
        return Math.Pow(Gamma, epoch / EpochsPerStep);
    }
}
