namespace FTLPortal.Federation.Rounds;

/// <summary>
/// Reads the global model's validation loss over rounds (<see cref="RoundSummary.GlobalValidationLoss"/>): the best round,
/// whether early stopping should end the run, and how many of the latest rounds rose in a row (the page's overfitting
/// warning). Pure functions of the summaries, so a job that runs one round at a time can ask them after each round.
/// </summary>
public static class ValidationLossTrend
{
    /// <summary>How many consecutive rises of the validation loss make the overfitting warning (default of the pages).</summary>
    public const int WarningRises = 3;

    /// <summary>The round with the lowest global validation loss (the earliest on ties); null when no round has one.</summary>
    public static int? BestRound(IReadOnlyList<RoundSummary> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        RoundSummary? best = null;
        foreach (RoundSummary round in rounds)
        {
            if (!double.IsNaN(round.GlobalValidationLoss) && (best is null || round.GlobalValidationLoss < best.GlobalValidationLoss))
            {
                best = round;
            }
        }

        return best?.Round;
    }

    /// <summary>Whether <paramref name="patience"/> rounds have passed since the best round (never for patience 0).</summary>
    public static bool ShouldStop(IReadOnlyList<RoundSummary> rounds, int patience)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        int? best = BestRound(rounds);
        return patience > 0 && best is not null && rounds.Count > 0 && rounds[^1].Round - best.Value >= patience;
    }

    /// <summary>How many of the latest rounds each had a higher global validation loss than the round before.</summary>
    public static int RisingRounds(IReadOnlyList<RoundSummary> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        int rising = 0;
        for (int i = rounds.Count - 1; i > 0; i--)
        {
            if (rounds[i].GlobalValidationLoss > rounds[i - 1].GlobalValidationLoss)
            {
                rising++;
            }
            else
            {
                break;
            }
        }

        return rising;
    }

    /// <summary>Whether the validation loss has risen for <see cref="WarningRises"/> rounds or more in a row.</summary>
    public static bool IsOverfitting(IReadOnlyList<RoundSummary> rounds) => RisingRounds(rounds) >= WarningRises;
}
