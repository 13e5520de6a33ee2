namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>What the job page shows about a fine-tuning job's evaluation, cut to what the user may see.</summary>
public sealed record JobEvaluationView
{
    /// <summary>The global model's validation numbers per round (all domains the user may see).</summary>
    public IReadOnlyList<RoundEvaluation> Rounds { get; init; } = [];

    /// <summary>How many of the latest rounds each had a higher global validation loss than the one before.</summary>
    public int RisingRounds { get; init; }

    /// <summary>The validation loss has risen for several rounds in a row: the model is likely overfitting.</summary>
    public bool Overfitting { get; init; }

    /// <summary>The round with the lowest global validation loss so far.</summary>
    public int? BestRound { get; init; }

    /// <summary>The final evaluation, once the job has finished its last step.</summary>
    public FineTuningEvaluation? Final { get; init; }

    /// <summary>Domains under 100 rows taking part (k-fold cross-validated local estimates).</summary>
    public IReadOnlyList<string> CrossValidatedDomains { get; init; } = [];
}
