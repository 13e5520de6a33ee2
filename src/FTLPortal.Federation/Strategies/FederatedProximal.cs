using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// FedProx (Li et al. 2020): FedAvg on the server, and local training with the proximal term <c>μ/2·‖w - w_global‖²</c>
/// (the trainer passes <see cref="Mu"/> to every agent as <c>TrainingOptions.ProximalMu</c>), which bounds client drift
/// on heterogeneous partners.
/// </summary>
public sealed class FederatedProximal : IAggregationStrategy
{
    private readonly FederatedAveraging _averaging;

    public FederatedProximal(float mu = 0.01f, AveragingWeights weighting = AveragingWeights.SampleCount)
    {
        if (!(mu > 0) || !float.IsFinite(mu))
        {
            throw new ArgumentOutOfRangeException(nameof(mu), "FedProx needs a positive, finite μ.");
        }

        Mu = mu;
        _averaging = new FederatedAveraging(weighting);
    }

    /// <summary>μ, the proximal coefficient of local training.</summary>
    public float Mu { get; }

    public string Name => "fedprox";

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates) => _averaging.Aggregate(current, updates);

    public WeightSet ApplyMean(WeightSet current, WeightSet mean) => _averaging.ApplyMean(current, mean);
}
