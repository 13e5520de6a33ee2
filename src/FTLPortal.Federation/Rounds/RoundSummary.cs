using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>One partner's result of a round: its training rows, final training loss and validation metrics of its local model.</summary>
public sealed record ClientMetrics(
    string PartnerId,
    int SampleCount,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    int ValidationRows);

/// <summary>A partner that left a round, and why.</summary>
public sealed record DroppedParticipant(string PartnerId, string Reason);

/// <summary>
/// A completed round: the metrics of each partner whose update was aggregated, the partners dropped, and the means of the
/// partners' validation loss and accuracy weighted by their validation rows.
/// </summary>
public sealed record RoundSummary(
    int Round,
    IReadOnlyList<ClientMetrics> Clients,
    IReadOnlyList<DroppedParticipant> Dropped,
    double MeanValidationLoss,
    double MeanValidationAccuracy,
    string GlobalWeightsSha256);

/// <summary>The final global model evaluated on one partner's validation split.</summary>
public sealed record ParticipantEvaluation(string PartnerId, string DomainId, EvaluationResult Validation);
