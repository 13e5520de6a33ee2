namespace FTLPortal.Federation.Privacy;

/// <summary>
/// Client-level DP-FedAvg (McMahan et al. 2018): each update's change <c>Δᵢ = wᵢ - w</c> is clipped to L2 norm
/// <see cref="ClipNorm"/>, the clipped changes are summed, Gaussian noise of standard deviation
/// <c><see cref="NoiseMultiplier"/>·C</c> is added, and the sum is divided by the number of sampled partners. With
/// <see cref="AdaptiveClipping"/> the bound follows the <see cref="TargetQuantile"/> of the update norms (Andrew et al.
/// 2021, geometric update with a noised count).
/// </summary>
public sealed record DifferentialPrivacyOptions
{
    /// <summary>z: noise standard deviation over the clip norm. With adaptive clipping this is the whole mechanism's z.</summary>
    public double NoiseMultiplier { get; init; } = 1.0;

    /// <summary>C: the L2 bound of each update's change (the initial bound with adaptive clipping).</summary>
    public double ClipNorm { get; init; } = 1.0;

    public bool AdaptiveClipping { get; init; }

    /// <summary>γ: the quantile of update norms the adaptive bound tracks.</summary>
    public double TargetQuantile { get; init; } = 0.5;

    /// <summary>η_C: the step of the geometric bound update <c>C ← C·exp(-η_C(b̃ - γ))</c>.</summary>
    public double ClipLearningRate { get; init; } = 0.2;

    /// <summary>σ_b: the noise on the count of unclipped updates (Andrew et al. suggest about n/20).</summary>
    public double CountNoiseStandardDeviation { get; init; } = 0.5;

    /// <summary>δ of the reported (ε, δ).</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>The ε budget; null for none (ε is still reported).</summary>
    public double? EpsilonBudget { get; init; }

    public PrivacyBudgetAction BudgetAction { get; init; } = PrivacyBudgetAction.Stop;

    /// <summary>Seeds the noise for reproducible tests; null draws it from the operating system's cryptographic source.</summary>
    public int? NoiseSeed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> with the first invalid setting.</summary>
    public void Validate()
    {
        if (!(NoiseMultiplier >= 0) || !double.IsFinite(NoiseMultiplier))
        {
            throw new ArgumentException($"The DP noise multiplier must be non-negative and finite (was {NoiseMultiplier}).");
        }

        if (!(ClipNorm > 0) || !double.IsFinite(ClipNorm))
        {
            throw new ArgumentException($"The DP clip norm must be positive and finite (was {ClipNorm}).");
        }

        if (!(Delta is > 0 and < 1))
        {
            throw new ArgumentException($"DP δ must be in (0, 1) (was {Delta}).");
        }

        if (EpsilonBudget is { } budget && !(budget > 0))
        {
            throw new ArgumentException($"The ε budget must be positive (was {budget}).");
        }

        if (AdaptiveClipping)
        {
            if (!(TargetQuantile is > 0 and < 1) || !(ClipLearningRate > 0))
            {
                throw new ArgumentException("Adaptive clipping needs a target quantile in (0, 1) and a positive clip learning rate.");
            }

            if (NoiseMultiplier > 0 && !(2 * CountNoiseStandardDeviation > NoiseMultiplier))
            {
                throw new ArgumentException(
                    $"Adaptive clipping needs the count noise σ_b above z/2 = {NoiseMultiplier / 2:G4} (was {CountNoiseStandardDeviation}); "
                    + "otherwise no noise budget is left for the updates.");
            }
        }
    }

    /// <summary>
    /// The noise multiplier applied to the update sum: z itself with a fixed bound; with adaptive clipping
    /// <c>(z⁻² - (2σ_b)⁻²)^(-1/2)</c>, so the two noised releases together cost what z alone would (Andrew et al. 2021, §3.1).
    /// </summary>
    public double UpdateNoiseMultiplier =>
        !AdaptiveClipping || NoiseMultiplier == 0
            ? NoiseMultiplier
            : Math.Pow(Math.Pow(NoiseMultiplier, -2) - Math.Pow(2 * CountNoiseStandardDeviation, -2), -0.5);
}
