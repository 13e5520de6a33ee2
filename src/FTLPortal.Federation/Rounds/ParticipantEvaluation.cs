using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// A global model evaluated by one participant (a domain of a partner). <see cref="Validation"/> is the evaluation on the
/// domain's validation rows (its <see cref="EvaluationResult.Split"/> says which rows); in
/// <see cref="FederatedRunResult.FinalEvaluations"/> it is the final model's, identical to the last round's
/// <see cref="RoundSummary.GlobalEvaluations"/>, and <see cref="Test"/> holds the final numbers on the domain's test rows.
/// </summary>
public sealed record ParticipantEvaluation(string PartnerId, string DomainId, EvaluationResult Validation)
{
    public EvaluationResult? Test { get; init; }
}
