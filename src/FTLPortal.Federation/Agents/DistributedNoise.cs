namespace FTLPortal.Federation.Agents;

/// <summary>
/// Distributed differential privacy under secure aggregation: the agent clips its change to <see cref="ClipNorm"/> and adds
/// Gaussian noise of <see cref="StandardDeviation"/> to each coordinate before masking it, and its update weighs 1 (not
/// its sample count), as in DP-FedAvg's equal-weight mean. The coordinator sets the deviation to <c>z·C/√t</c> (t: the
/// round's threshold, the fewest survivors it unmasks), so the unmasked sum carries noise of at least <c>z·C</c>; it
/// never learns the noise, which each agent draws from its own cryptographic source.
/// </summary>
public sealed record DistributedNoise(double ClipNorm, double StandardDeviation);
