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
    /// <summary>The partners asked to train in the attempt that closed the round.</summary>
    public IReadOnlyList<string> Selected { get; init; } = [];

    /// <summary>How many attempts the round took (1 unless too few updates came and it was retried).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Bytes of the global model sent to, and of the update received from, each partner asked in the closing attempt.</summary>
    public IReadOnlyList<ParticipantTraffic> Traffic { get; init; } = [];

    /// <summary>Total bytes both ways this round (all attempts).</summary>
    public long TotalBytes { get; init; }

    /// <summary>The coordinator's state after this round; store it with the checkpoint and pass it back as <see cref="FineTuningPlan.ServerState"/>.</summary>
    public byte[]? ServerState { get; init; }

    /// <summary>With differential privacy: ε spent after this round (for the configured δ); otherwise null.</summary>
    public double? Epsilon { get; init; }

    /// <summary>With differential privacy: the clip bound used this round.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>A warning raised in this round (e.g. the ε budget passed under <c>PrivacyBudgetAction.Warn</c>).</summary>
    public string? Warning { get; init; }

    /// <summary>
    /// The aggregated global model of this round scored by each participant on its validation rows (federated evaluation):
    /// the numbers to chart per round. Empty when <see cref="FederatedTrainerOptions.EvaluateGlobalModelEachRound"/> is off.
    /// </summary>
    public IReadOnlyList<ParticipantEvaluation> GlobalEvaluations { get; init; } = [];

    /// <summary>The global model's validation loss over <see cref="GlobalEvaluations"/>, weighted by rows (NaN without them).</summary>
    public double GlobalValidationLoss { get; init; } = double.NaN;

    /// <summary>The global model's validation accuracy over <see cref="GlobalEvaluations"/>, weighted by rows (NaN without them).</summary>
    public double GlobalValidationAccuracy { get; init; } = double.NaN;

    /// <summary>With secure aggregation: the protocol's own bytes this round (keys, shares, masked inputs, unmasking; all attempts), already counted in <see cref="Traffic"/> and <see cref="TotalBytes"/>.</summary>
    public long SecureAggregationBytes { get; init; }

    /// <summary>Participants flagged for negative transfer after this round (and what they did).</summary>
    public IReadOnlyList<NegativeTransferReaction> Reactions { get; init; } = [];
}
