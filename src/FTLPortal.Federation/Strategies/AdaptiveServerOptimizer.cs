namespace FTLPortal.Federation.Strategies;

/// <summary>The second-moment rule of an adaptive server optimizer (Reddi et al. 2021, Algorithm 2).</summary>
public enum AdaptiveServerOptimizer
{
    /// <summary>FedAdagrad: <c>v ← v + Δ²</c>.</summary>
    Adagrad,

    /// <summary>FedAdam: <c>v ← β₂·v + (1-β₂)·Δ²</c>.</summary>
    Adam,

    /// <summary>FedYogi: <c>v ← v - (1-β₂)·Δ²·sign(v - Δ²)</c>.</summary>
    Yogi,
}
