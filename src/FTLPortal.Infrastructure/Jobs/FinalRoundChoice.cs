namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Which round's global weights are the final model, how many rounds ran, and why the job stopped early (or null).</summary>
internal sealed record FinalRoundChoice(int FinalRound, int RoundsRun, string? StoppedEarly);
