using System.Numerics.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// FedAvgM (Hsu et al. 2019): server momentum on the pseudo-gradient, <c>m ← β·m + Δ</c>, <c>w ← w + η·m</c>.
/// With β = 0 and η = 1 it is FedAvg.
/// </summary>
public sealed class FederatedAveragingWithMomentum : ServerOptimizerStrategy
{
    public FederatedAveragingWithMomentum(float momentum = 0.9f, float serverLearningRate = 1f, AveragingWeights weighting = AveragingWeights.SampleCount)
        : base(serverLearningRate, weighting)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "The server momentum must be in [0, 1).");
        }

        Momentum = momentum;
    }

    public float Momentum { get; }

    public override string Name => "fedavgm";

    protected override bool UsesSecondMoment => false;

    protected override void UpdateTensor(Span<float> deltaThenStep, Span<float> first, Span<float> second)
    {
        TensorPrimitives.MultiplyAdd(first, Momentum, deltaThenStep, first);
        TensorPrimitives.Multiply(first, ServerLearningRate, deltaThenStep);
    }
}
