using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>The final global model evaluated on one partner's validation split.</summary>
public sealed record ParticipantEvaluation(string PartnerId, string DomainId, EvaluationResult Validation);
