namespace FTLPortal.Federation.Rounds;

/// <summary>
/// Reacting to negative transfer as the rounds go: after each round, a participant whose global-model validation balanced
/// accuracy is below its local-only model's beyond both bootstrap intervals (<see cref="References"/>) is flagged once and
/// <see cref="Response"/> applies from the next round. A participant leaves only while at least the plan's minimum of
/// participants remain; otherwise it is flagged and stays.
/// </summary>
public sealed record NegativeTransferGuard(NegativeTransferResponse Response, IReadOnlyList<LocalOnlyReference> References);
