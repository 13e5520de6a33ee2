namespace FTLPortal.Federation.Strategies;

/// <summary>How <see cref="FederatedAveraging"/> weighs the clients.</summary>
public enum AveragingWeights
{
    /// <summary>Each client counts in proportion to its number of training rows (McMahan et al. 2017).</summary>
    SampleCount,

    /// <summary>Every client counts the same.</summary>
    Equal,
}
