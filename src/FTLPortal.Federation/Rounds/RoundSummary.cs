using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

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
