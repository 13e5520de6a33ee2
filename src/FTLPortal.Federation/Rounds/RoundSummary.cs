using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// A completed round: the metrics of each participant whose update was aggregated (its local model after local training),
/// the participants dropped, the means of those local models' validation loss and accuracy weighted by validation rows,
/// and the aggregated global model's own evaluation by every participant.
/// </summary>
public sealed record RoundSummary(
    int Round,
    IReadOnlyList<ClientMetrics> Clients,
    IReadOnlyList<DroppedParticipant> Dropped,
    double MeanValidationLoss,
    double MeanValidationAccuracy,
    string GlobalWeightsSha256)
{
    /// <summary>
    /// The aggregated global model of this round scored by each participant on its validation rows (federated evaluation):
    /// the numbers to chart per round. Empty when <see cref="FederatedTrainerOptions.EvaluateGlobalModelEachRound"/> is off.
    /// </summary>
    public IReadOnlyList<ParticipantEvaluation> GlobalEvaluations { get; init; } = [];

    /// <summary>The global model's validation loss over <see cref="GlobalEvaluations"/>, weighted by rows (NaN without them).</summary>
    public double GlobalValidationLoss { get; init; } = double.NaN;

    /// <summary>The global model's validation accuracy over <see cref="GlobalEvaluations"/>, weighted by rows (NaN without them).</summary>
    public double GlobalValidationAccuracy { get; init; } = double.NaN;
}
