using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// How a portal job is cut into scheduler jobs. Similarity and pre-training are one step (<see cref="Whole"/>);
/// fine-tuning is one step per round (1..rounds) and then the model-card step (rounds + 1).
/// </summary>
internal static class JobSteps
{
    public const int Whole = 0;

    public static int First(PortalJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Kind == JobKind.FineTuning ? job.CurrentRound + 1 : Whole;
    }

    public static bool IsModelCard(PortalJob job, int step)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Kind == JobKind.FineTuning && step == job.TotalRounds + 1;
    }
}
