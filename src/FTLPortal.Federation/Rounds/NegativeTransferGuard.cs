namespace FTLPortal.Federation.Rounds;

/// <summary>
/// Reacting to negative transfer as the rounds go: after each round from <see cref="FirstRound"/>, a participant whose
/// global-model validation balanced accuracy is below its local-only model's beyond both bootstrap intervals
/// (<see cref="References"/>) is flagged once and <see cref="Response"/> applies from the next round. A participant leaves
/// only while at least the plan's minimum of participants remain; otherwise it is flagged and stays.
/// </summary>
public sealed record NegativeTransferGuard(NegativeTransferResponse Response, IReadOnlyList<LocalOnlyReference> References)
{
    /// <summary>
    /// The first round checked. The references are trained with the whole epoch budget, so in early rounds a global model
    /// still far from trained would flag everyone; <see cref="SecondHalf"/> is the usual choice.
    /// </summary>
    public int FirstRound { get; init; } = 1;

    /// <summary>The first round of the second half of <paramref name="rounds"/> rounds (4 of 6, 2 of 2).</summary>
    public static int SecondHalf(int rounds) => (rounds / 2) + 1;
}
