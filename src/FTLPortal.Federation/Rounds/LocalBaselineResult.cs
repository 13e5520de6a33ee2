using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// One domain's local-only baseline: its model trained on its data alone, evaluated on its validation and test rows (the
/// same fixed test rows the federated model is scored on) and, for a small domain, by k-fold cross-validation; or why it failed.
/// </summary>
public sealed record LocalBaselineResult(string PartnerId, string DomainId, int SampleCount, EvaluationResult? Validation, string? Error)
{
    public EvaluationResult? Test { get; init; }

    public EvaluationResult? CrossValidated { get; init; }
}
