using FTLPortal.Federation.SecureAggregation;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// Secure aggregation, step 2: train as <see cref="Training"/> says, then send, instead of the plain update, the masked
/// fixed-point vector <c>[n·Δ, n]</c> (Δ = trained − global weights of <see cref="Tensors"/>, in that order, then the
/// sample count n). <see cref="Shares"/> are the sealed shares the other clients sent this one (their senders are the
/// clients whose pairwise masks it adds). The coordinator cannot check a masked update, so the agent does: it refuses
/// to send non-finite values and clips Δ to <see cref="MaxUpdateNorm"/> when one is set.
/// </summary>
public sealed record SecureTrainingRequest(
    SecureSession Session, LocalTrainingRequest Training, IReadOnlyList<EncryptedShares> Shares, IReadOnlyList<string> Tensors)
{
    /// <summary>The largest L2 norm of Δ; a longer one is scaled down to it before masking. Null for no bound.</summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary>Distributed DP: clip, add this noise and weigh 1 instead of n. Null for none.</summary>
    public DistributedNoise? Noise { get; init; }
}
