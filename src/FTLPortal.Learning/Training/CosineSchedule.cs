namespace FTLPortal.Learning.Training;

/// <summary>Cosine annealing from 1 to <paramref name="MinMultiplier"/> over the whole run, step by step.</summary>
public sealed record CosineSchedule(double MinMultiplier = 0) : LearningRateSchedule
{
    public override double Multiplier(long stepIndex, int stepsPerEpoch, long totalSteps)
    {
        if (totalSteps <= 1)
        {
            return 1;
        }

        double progress = Math.Min(1.0, (double)stepIndex / (totalSteps - 1));
        return MinMultiplier + ((1 - MinMultiplier) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
