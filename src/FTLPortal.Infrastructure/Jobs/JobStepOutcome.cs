namespace FTLPortal.Infrastructure.Jobs;

/// <summary>What a step of a portal job asks of the scheduler afterwards: nothing, or to run the next step.</summary>
/// <param name="NextStep">The step to run next, or null when the job has ended (or another delivery owns the chain).</param>
internal sealed record JobStepOutcome(int? NextStep)
{
    public static JobStepOutcome Done { get; } = new((int?)null);

    public static JobStepOutcome Next(int step) => new(step);
}
