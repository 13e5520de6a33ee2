namespace FTLPortal.Core.Jobs;

/// <summary>Client-level differential privacy (DP-FedAvg): each update's change clipped, Gaussian noise added to the sum.</summary>
public sealed record DifferentialPrivacySettings
{
    /// <summary>z: the noise's standard deviation over the clip norm.</summary>
    public double NoiseMultiplier { get; init; } = 1.0;

    /// <summary>C: the L2 bound of each update's change (the starting bound when adaptive).</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Adapt the bound to a quantile of the update norms (Andrew et al. 2021) instead of keeping it fixed.</summary>
    public bool AdaptiveClipping { get; init; }

    /// <summary>The quantile of update norms the adaptive bound tracks.</summary>
    public double TargetQuantile { get; init; } = 0.5;

    /// <summary>δ of the reported (ε, δ).</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>The ε budget; null reports ε without a limit.</summary>
    public double? EpsilonBudget { get; init; }

    public PrivacyBudgetBehavior BudgetBehavior { get; init; } = PrivacyBudgetBehavior.Stop;
}
