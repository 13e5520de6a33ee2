namespace FTLPortal.Learning.Training;

/// <summary>
/// Linear warm-up: the multiplier rises as (stepIndex + 1) / <paramref name="WarmupSteps"/>, then <paramref name="Then"/> runs over the
/// remaining steps (or the multiplier stays 1).
/// </summary>
public sealed record WarmupSchedule(int WarmupSteps, LearningRateSchedule? Then = null) : LearningRateSchedule
{
    public override double Multiplier(long stepIndex, int stepsPerEpoch, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps);
        if (stepIndex < WarmupSteps)
        {
            return (stepIndex + 1.0) / WarmupSteps;
        }

        return Then?.Multiplier(stepIndex - WarmupSteps, stepsPerEpoch, Math.Max(1, totalSteps - WarmupSteps)) ?? 1.0;
    }
}
