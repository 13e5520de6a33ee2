namespace FTLPortal.Federation.Strategies;

/// <summary>
/// FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021, Algorithm 2, without bias correction as in the paper):
/// <c>m ← β₁·m + (1-β₁)·Δ</c>, the second moment <c>v</c> by <see cref="Optimizer"/> starting at τ², and
/// <c>w ← w + η·m / (√v + τ)</c>.
/// </summary>
public sealed class FederatedAdaptiveOptimization : ServerOptimizerStrategy
{
    public FederatedAdaptiveOptimization(
        AdaptiveServerOptimizer optimizer,
        float serverLearningRate = 0.01f,
        float beta1 = 0.9f,
        float beta2 = 0.99f,
        float tau = 1e-3f,
        AveragingWeights weighting = AveragingWeights.SampleCount)
        : base(serverLearningRate, weighting)
    {
        if (!(beta1 is >= 0f and < 1f) || !(beta2 is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "β₁ and β₂ must be in [0, 1).");
        }

        if (!(tau > 0) || !float.IsFinite(tau))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), "τ (the adaptivity) must be positive.");
        }

        Optimizer = optimizer;
        Beta1 = beta1;
        Beta2 = beta2;
        Tau = tau;
    }

    public AdaptiveServerOptimizer Optimizer { get; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Tau { get; }

    public override string Name => Optimizer switch
    {
        AdaptiveServerOptimizer.Adagrad => "fedadagrad",
        AdaptiveServerOptimizer.Adam => "fedadam",
        _ => "fedyogi",
    };

    protected override bool UsesSecondMoment => true;

    protected override float InitialSecondMoment => Tau * Tau;

    protected override void UpdateTensor(Span<float> deltaThenStep, Span<float> first, Span<float> second)
    {
        float b1 = Beta1, b2 = Beta2, tau = Tau, eta = ServerLearningRate;
        AdaptiveServerOptimizer rule = Optimizer;
        for (int i = 0; i < deltaThenStep.Length; i++)
        {
            float d = deltaThenStep[i];
            float m = (b1 * first[i]) + ((1 - b1) * d);
            float d2 = d * d;
            float v = second[i];
            v = rule switch
            {
                AdaptiveServerOptimizer.Adagrad => v + d2,
                AdaptiveServerOptimizer.Adam => (b2 * v) + ((1 - b2) * d2),
                _ => v - ((1 - b2) * d2 * MathF.Sign(v - d2)),
            };
            first[i] = m;
            second[i] = v;
            deltaThenStep[i] = eta * m / (MathF.Sqrt(v) + tau);
        }
    }
}
